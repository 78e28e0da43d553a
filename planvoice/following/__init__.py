"""Following: a measure, a report, a street or community, or a place with a radius, by
account or by a confirmed e-mail address; who is told when something happens to them is
asked of ``following.queries``."""
