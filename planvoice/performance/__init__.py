"""The public scorecard: how each bureau and each street answers residents' reports, computed
from cases (one routing of a report to a bureau) that this domain keeps as the reports move,
and the monthly results it stores once a month is over."""
