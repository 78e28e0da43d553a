"""The rows of the PostgreSQL benchmark database (``pg_data.py`` loads them with COPY).

Everything is drawn from one ``random.Random(SEED)`` in a fixed order, so two builds hold the
same rows (times are counted back from the build's day, ``World.anchor``). Counters the app
maintains (a parent's ``reply_count``, ``flag_count``, ``support_count``, return and reopen
counts) are computed here from the rows themselves; the per-measure summaries are computed
in SQL from the loaded rows (``pg_data.fill_summaries``).
"""

import base64
import json
import random
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

SEED = 20261202
DAYS = 730  # two years of activity, ending at the anchor
USERS = 50_000
PUBLISHED_COMMENTS = 1_000_000
BUSY_COMMENTS = 200_000
MEDIUM_COMMENTS = 27_000
QUIET_COMMENTS = 3
REPLY_SHARE = 0.15
PENDING, REJECTED, HIDDEN, FLAGGED = 2_000, 1_500, 500, 300
GUESTS = 150_000
RATINGS = 300_000
REPORTS = 100_000
NOTES = 3_000
ACTIVE_COMMENTS, ACTIVE_REPORTS = 300, 40
DONGSHENG_SUBMITTED, DONGSHENG_PUBLISHED = 200, 100
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # as planvoice.reports.places
HOUR = 3_600_000_000  # microseconds

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
NICKNAMES = ["东盛居民", "老街坊", "二道区市民", "晨练大爷", "宝妈", "上班族", "小区业主", "路过"]
COMMENTS = [
    "希望这项举措能尽快落地,我们小区周边变化还不够明显。",
    "建议公布具体的时间表和责任单位,方便居民监督。",
    "非常支持!去年家门口的改造效果很好,希望继续推进。",
    "老旧小区的问题最突出,雨天楼道漏水,希望优先考虑。",
    "扬尘治理要常态化,不能只在检查时才洒水。",
    "口袋公园建得好,老人孩子都有地方活动了。",
    "希望多听听居民意见,改造前先征求一下大家的想法。",
    "公交线路能否再优化?早高峰等车时间太长。",
    "垃圾分类设施要配齐,现在只有一个桶,分了也白分。",
    "目标写得很好,关键是落实,希望每年公布进展。",
]
DETAILS = ["", "", " 具体位置在东盛大街附近。", " 详见 https://example.org/plan 。", " 谢谢!"]
REPLIES = [
    "同意楼上的意见。",
    "我们小区也是这样。",
    "补充一点:晚上的问题更严重。",
    "+1,希望有回应。",
]
DESCRIPTIONS = {
    "bare_ground": "小区门口有一片裸露黄土,刮风时尘土飞扬,希望尽快硬化或绿化。",
    "pocket_park": "附近没有可以休息的地方,老人孩子多,希望在空地建一个口袋公园。",
    "dust": "工地围挡不严,渣土车进出不冲洗,路面全是泥,扬尘严重。",
    "garbage": "垃圾桶满了好几天没人清运,分类桶也不全,气味很大。",
    "road": "人行道地砖松动翘起,雨后踩上去溅一身泥,老人容易摔倒。",
    "drainage": "路口下水道堵塞,一下雨就积水,车辆经过水花四溅。",
    "old_compound": "楼道墙皮脱落,声控灯坏了很久,晚上上下楼很不安全。",
    "water": "河道里漂着垃圾,夏天有异味,希望定期清理。",
    "greenery": "小区绿地被人种了菜,树木也被砍了几棵。",
    "other": "小区门口路灯坏了一个月,晚上很黑,希望尽快修复。",
}
STEP_NOTES = {
    "routed": "请尽快核实处理。",
    "returned": "经核实,该问题不属于本单位职责范围,请重新分派。",
    "replied": "已收到,我们将安排工作人员现场核实。",
    "in_progress": "已派出施工队,正在处理。",
    "resolved": "已处理完毕,现场已恢复。",
    "closed": "处理得很及时,谢谢。",
    "reopened": "问题没有解决,又出现了。",
}
REJECT_REASON = "您的上报内容不完整,无法核实。请补充具体位置后重新上报。"
# Hours (low, high) from one step of a report to the next.
DELAYS = {
    "published": (0.5, 10),
    "rejected": (0.5, 10),
    "duplicate": (1, 24),
    "routed": (0.5, 24),
    "returned": (2, 30),
    "accepted": (0.5, 20),
    "in_progress": (10, 72),
    "replied": (4, 48),
    "resolved": (24, 300),
    "closed": (24, 120),
    "reopened": (24, 120),
}
# A report's status drawn by its age (the old ones are mostly settled).
RECENT = {"submitted": 40, "published": 30, "routed": 20, "rejected": 5, "accepted": 5}
MONTH = {
    "published": 3,
    "routed": 10,
    "accepted": 15,
    "in_progress": 20,
    "resolved": 20,
    "returned": 3,
    "reopened": 3,
    "closed": 15,
    "duplicate": 3,
    "rejected": 6,
}
OLD = {
    "closed": 46,
    "resolved": 22,
    "rejected": 18,
    "duplicate": 8,
    "published": 0.2,
    "in_progress": 0.4,
    "accepted": 0.3,
    "routed": 0.3,
    "returned": 0.5,
    "reopened": 0.5,
}
PUBLIC = "published routed accepted in_progress resolved closed returned duplicate reopened".split()


@dataclass
class World:
    """What the generated rows refer to: the reference data the app loaded, and the ids the
    generated rows take (each table's ids start after the rows already there)."""

    anchor: datetime
    measures: list[int]
    busy: int
    medium: int
    quiet: int
    streets: list[tuple[int, str]]  # (id, code) of the streets and towns
    communities: dict[int, list[int]]  # street id -> its communities
    categories: list[tuple[int, str, int | None, int | None]]  # id, code, bureau, measure
    bureaus: dict[str, int]
    demo: dict[str, int]  # demo accounts by role
    bases: dict[str, int]  # first id per table
    taken_codes: set[str]
    password_hash: str
    reasons: list[str]
    residents: list[int] = field(default_factory=list)  # live residents, oldest first
    moderators: dict[int, list[int]] = field(default_factory=dict)  # street id -> users
    staff: dict[int, list[int]] = field(default_factory=dict)  # bureau id -> users
    admins: list[int] = field(default_factory=list)
    active: int = 0
    area_audit: list[tuple] = field(default_factory=list)  # communities added

    def __post_init__(self):
        self.start = self.anchor - timedelta(days=DAYS)

    def at(self, micros: int) -> datetime:
        return self.start + timedelta(microseconds=micros)


SPAN = DAYS * 24 * HOUR


def guest_key(index: int) -> str:
    """A guest browser's key, shaped like ``"guest:" + secrets.token_urlsafe(16)``."""
    value = (index * 0x9E3779B97F4A7C15F39CC0605CEDC835 + 12_345) % (1 << 128)
    return "guest:" + base64.urlsafe_b64encode(value.to_bytes(16, "big")).decode().rstrip("=")


def tracking_code(n: int) -> str:
    """A unique ``EDQ-XXXX-XX`` code for each ``n`` (a bijection on 29⁶)."""
    value = (n * 387_420_489 + 12_345) % 29**6
    chars = ""
    for _ in range(6):
        value, digit = divmod(value, 29)
        chars += CODE_ALPHABET[digit]
    return f"EDQ-{chars[:4]}-{chars[4:]}"


def _json(value) -> str | None:
    return None if value is None else json.dumps(value)


class Rows:
    """Generates every table's rows in order, keeping what later tables refer to."""

    def __init__(self, world: World):
        self.w = world
        self.rng = random.Random(SEED)
        self.random = self.rng.random  # the fast draw, for the loops over millions of rows
        self.guests = [guest_key(k) for k in range(GUESTS)]
        self.audit: list[tuple] = []  # (created_at, actor, action, type, id, before, after, note)
        self._json_cache: dict[str, str | None] = {}

    def _audit(self, at, actor, action, kind, subject, before=None, after=None, note=None):
        key_b, key_a = repr(before), repr(after)
        cache = self._json_cache
        if key_b not in cache:
            cache[key_b] = _json(before)
        if key_a not in cache:
            cache[key_a] = _json(after)
        self.audit.append((at, actor, action, kind, subject, cache[key_b], cache[key_a], note))

    # Users -------------------------------------------------------------------------------

    def user_created(self, index: int) -> int:
        """Microseconds after the start at which the ``index``-th bench user signed up."""
        return int(SPAN * 0.9 * index / USERS)

    def users(self):
        """Rows of ``users``; fills the world's residents, moderators, staff and admins."""
        w, rng = self.w, self.rng
        base = w.bases["users"]
        w.active = base
        streets = [street for street, _code in w.streets]
        bureaus = sorted(w.bureaus.values())
        staff_roles = (
            [("moderator", s) for s in streets for _ in range(2)]
            + [("bureau", b) for b in bureaus for _ in range(2)]
            + [("admin", None)] * 2
        )
        for street, code in w.streets:
            w.moderators[street] = [w.demo["moderator"]] if code == "dongsheng" else []
        for bureau in bureaus:
            w.staff[bureau] = [w.demo["bureau"]] if bureau == w.bureaus["urban_management"] else []
        w.admins.append(w.demo["admin"])
        self.user_areas = []
        for n in range(USERS):
            uid = base + n
            created = w.at(self.user_created(n) + rng.randrange(HOUR))
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) * (n % 2))
            role, bureau, email, phone = "resident", None, None, None
            deleted, deleted_at = False, None
            if n == 0:
                email, name = "active.resident@bench.planvoice.cn", "活跃居民老李"
            elif n <= len(staff_roles):
                role, scope = staff_roles[n - 1]
                email = f"{role}{n}@bench.planvoice.cn"
                if role == "moderator":
                    w.moderators[scope].append(uid)
                    self.user_areas.append((uid, scope))
                elif role == "bureau":
                    bureau = scope
                    w.staff[scope].append(uid)
                else:
                    w.admins.append(uid)
                self._audit(
                    created + timedelta(days=1),
                    w.demo["admin"],
                    "user.role",
                    "users",
                    uid,
                    {"role": "resident", "bureau": None, "areas": []},
                    {
                        "role": role,
                        "bureau": next((c for c, i in w.bureaus.items() if i == bureau), None),
                        "areas": [c for s, c in w.streets if s == scope and role == "moderator"],
                    },
                )
            elif n % 250 == 7:  # a few deleted accounts: no contact, no password
                deleted = True
                deleted_at = created + timedelta(days=rng.randrange(1, 200))
                if deleted_at > w.anchor:
                    deleted_at = w.anchor - timedelta(hours=1)
                self._audit(deleted_at, uid, "account.delete", "users", uid, {"role": "resident"})
            else:
                if n % 10 < 7:
                    email = f"user{n}@bench.planvoice.cn"
                if n % 10 >= 6:
                    phone = f"13{n:09d}"
            if role == "resident" and not deleted and n:
                w.residents.append(uid)
            yield (
                uid,
                email,
                phone,
                None if deleted else w.password_hash,
                None if deleted else name,
                role,
                bureau,
                deleted,
                deleted_at,
                created,
                deleted_at or created,
            )
        w.residents.insert(0, w.active)

    def resident_until(self, micros: int) -> int:
        """A live resident who had signed up by ``micros`` after the start."""
        residents = self.w.residents
        limit = min(int(len(residents) * micros / (SPAN * 0.9)) + 1, len(residents) - 1)
        return residents[1 + int(self.random() * max(1, limit))]

    def any_moderator(self) -> int:
        street = self.rng.choice(self.w.streets)[0]
        return self.rng.choice(self.w.moderators[street] or self.w.admins)

    # Comments -----------------------------------------------------------------------------

    def comments(self):
        """Rows of ``comments``: the published ones (time order), then hidden, rejected and
        pending ones. ``self.flags`` gets the flags of the flagged comments."""
        w, rng = self.w, self.rng
        others = [m for m in w.measures if m not in (w.busy, w.medium, w.quiet)]
        weights = [rng.uniform(0.3, 1.7) for _ in others]
        rest = PUBLISHED_COMMENTS - BUSY_COMMENTS - MEDIUM_COMMENTS - QUIET_COMMENTS
        shares = [int(rest * x / sum(weights)) for x in weights]
        shares[0] += rest - sum(shares)
        order = [w.busy] * BUSY_COMMENTS + [w.medium] * MEDIUM_COMMENTS + [w.quiet] * 3
        for measure, share in zip(others, shares, strict=True):
            order += [measure] * share
        rng.shuffle(order)
        total = PUBLISHED_COMMENTS
        step = SPAN // (total + 1)
        base = w.bases["comments"]
        parents = array("i", bytes(4 * total))
        replies = array("i", bytes(4 * total))
        authors = array("i", bytes(4 * total))  # > 0: a user id; <= 0: -guest index
        published = array("q", bytes(8 * total))
        tops: dict[int, list[int]] = {m: [] for m in w.measures}
        active = set(rng.sample(range(total), ACTIVE_COMMENTS - 20))
        draw, half = self.random, step // 2
        for n in range(total):
            at = n * step + int(draw() * half)
            published[n] = at
            thread = tops[order[n]]
            if thread and draw() < REPLY_SHARE:
                back = min(int(rng.expovariate(1 / 300)), len(thread) - 1)
                parent = thread[-1 - back]
                parents[n] = parent + 1
                replies[parent] += 1
            else:
                thread.append(n)
            if n in active:
                authors[n] = w.active
            elif draw() < 0.6:
                authors[n] = self.resident_until(at)
            else:
                authors[n] = -int(draw() * GUESTS)
        flagged = rng.sample(range(total - total // 12, total), FLAGGED)
        flag_counts = {n: 1 + min(int(rng.expovariate(1 / 1.5)), 7) for n in flagged}
        self.flags = []
        for n, count in sorted(flag_counts.items()):
            author = authors[n]
            keys = {f"user:{u}" for u in rng.sample(w.residents, count + 1) if u != author}
            for key in sorted(keys)[:count]:
                at = published[n] + rng.randrange(max(1, SPAN - published[n]))
                self.flags.append((base + n, key, w.at(at)))
            flag_counts[n] = min(count, len(keys))

        tops_bodies = [a + b for a in COMMENTS for b in DETAILS]
        reply_bodies = [a + b for a in REPLIES for b in DETAILS]
        draw, start, guests = self.random, w.start, self.guests

        def row(n, status, at_pub, parent, author, moderated, moderator, reason=None):
            first = at_pub if at_pub is not None else moderated
            created = max(0, first - HOUR // 6 - int(draw() * 30 * HOUR))
            bodies = reply_bodies if parent else tops_bodies
            body = bodies[int(draw() * len(bodies))]
            if author > 0:
                user, nickname, key = author, None, f"user:{author}"
            else:
                user, key = None, guests[-author]
                nickname = NICKNAMES[-author % len(NICKNAMES)] + str(-author % 997)
            moderated_at = start + timedelta(microseconds=moderated)
            return (
                base + n,
                order_of(n),
                base + parent - 1 if parent else None,
                user,
                nickname,
                body,
                status,
                reason,
                moderated_at if moderator else None,
                moderator,
                (moderated_at if at_pub == moderated else w.at(at_pub))
                if at_pub is not None
                else None,
                flag_counts.get(n, 0),
                replies[n] if n < total else 0,
                f"bench-comment-{n}",
                key,
                None,
                start + timedelta(microseconds=created),
                moderated_at,
            )

        extra_measures: list[int] = []

        def order_of(n):
            return order[n] if n < total else extra_measures[n - total]

        moderators = [m for ms in w.moderators.values() for m in ms] or w.admins
        for n in range(total):
            at = published[n]
            moderator = moderators[n % len(moderators)]
            yield row(n, "published", at, parents[n], authors[n], at, moderator)
        # Hidden (published, then hidden), rejected over the two years, pending of late.
        kinds = ["hidden"] * HIDDEN + ["rejected"] * REJECTED + ["pending"] * PENDING
        by_active = {"hidden": 2, "rejected": 8, "pending": 10}
        for k, status in enumerate(kinds):
            n = total + k
            measure = rng.choice(w.measures)
            extra_measures.append(measure)
            if status == "pending":
                at = SPAN - rng.randrange(1, 240) * HOUR
            else:
                at = rng.randrange(SPAN - 48 * HOUR)
            parent = 0
            if status == "pending" and tops[measure] and rng.random() < 0.2:
                parent = rng.choice(tops[measure][-500:]) + 1
            if by_active[status]:
                by_active[status] -= 1
                author = w.active
            else:
                author = self.resident_until(at) if rng.random() < 0.6 else -rng.randrange(GUESTS)
            if status == "pending":
                yield row(n, status, None, parent, author, at, None)
            else:
                moderator = self.any_moderator()
                decided = at + rng.randrange(HOUR, 40 * HOUR)
                reason = rng.choice(w.reasons)
                public_at = at if status == "hidden" else None
                yield row(n, status, public_at, 0, author, decided, moderator, reason)

    # Ratings ------------------------------------------------------------------------------

    def ratings(self):
        """Rows of ``ratings``: unique per (measure, voter); the active resident rates all."""
        w, rng = self.w, self.rng
        others = [m for m in w.measures if m not in (w.busy, w.medium, w.quiet)]
        counts = {w.busy: 40_000, w.medium: 15_000, w.quiet: 40}
        rest = RATINGS - sum(counts.values())
        weights = [rng.uniform(0.3, 1.7) for _ in others]
        for measure, x in zip(others, weights, strict=True):
            counts[measure] = int(rest * x / sum(weights))
        counts[others[0]] += RATINGS - sum(counts.values())
        pool = len(w.residents) + GUESTS
        rid = w.bases["ratings"]
        for measure in w.measures:
            voters = rng.sample(range(pool), counts[measure])
            if 0 not in set(voters):  # the active resident is residents[0]
                voters[-1] = 0
            cum = list(accumulate(rng.uniform(0.2, 3) for _ in range(5)))
            values = rng.choices(range(1, 6), cum_weights=cum, k=len(voters))
            for voter, value in zip(voters, values, strict=True):
                if voter < len(w.residents):
                    user = w.residents[voter]
                    key = f"user:{user}"
                    earliest = self.user_created(user - w.bases["users"])
                else:
                    user, key, earliest = None, self.guests[voter - len(w.residents)], 0
                created = earliest + rng.randrange(SPAN - earliest)
                updated = created if rng.random() < 0.9 else rng.randrange(created, SPAN)
                yield (rid, measure, key, user, value, w.at(created), w.at(updated))
                rid += 1

    # Reports ------------------------------------------------------------------------------

    def _path(self, status: str) -> list[str]:
        """The steps a report in ``status`` went through, oldest first."""
        rng = self.rng
        if status in ("submitted", "rejected", "published"):
            return ["submitted"] + ([status] if status != "submitted" else [])
        if status == "duplicate":
            return ["submitted", "published", "duplicate"] if rng.random() < 0.7 else [
                "submitted", "duplicate",
            ]  # fmt: skip
        steps = ["submitted", "published"]
        if rng.random() < 0.04:
            steps += ["routed", "returned"]
        if status == "returned":
            return [*steps, "routed", "returned"]
        steps.append("routed")
        if status == "routed":
            return steps
        steps.append("accepted")
        if status == "accepted":
            return steps + (["replied"] if rng.random() < 0.3 else [])
        steps.append("in_progress")
        if status == "in_progress":
            return steps + (["replied"] if rng.random() < 0.5 else [])
        if rng.random() < 0.7:
            steps.remove("in_progress")
        if rng.random() < 0.25:
            steps.append("replied")
        steps.append("resolved")
        if status == "resolved":
            return steps
        if status == "reopened":
            return [*steps, "reopened"]
        if rng.random() < 0.03:
            steps += ["reopened", "accepted", "resolved"]
        return [*steps, "closed"]

    def reports(self):
        """Build every report with its timeline (``self.events``), supports, notes and audit
        events; return the rows of ``reports``."""
        w, rng = self.w, self.rng
        base, total = w.bases["reports"], REPORTS
        urban = w.bureaus["urban_management"]
        all_bureaus = sorted(w.bureaus.values())
        dongsheng = next(s for s, code in w.streets if code == "dongsheng")
        forced = rng.sample(range(total - 3000, total), DONGSHENG_SUBMITTED + DONGSHENG_PUBLISHED)
        forced_status = {
            n: "submitted" if k < DONGSHENG_SUBMITTED else "published" for k, n in enumerate(forced)
        }
        active = set(rng.sample(range(total), ACTIVE_REPORTS))
        category_weights = [5, 3, 4, 6, 5, 3, 4, 2, 2, 1][: len(w.categories)]
        south, west, north, east = 43.70, 125.30, 44.05, 125.80
        bounds = (south + 0.01, north - 0.01, west + 0.01, east - 0.01)
        self.events, self.supports, self.notes = [], {}, []
        rows, open_public = [], []
        street_of = {c: s for s, cs in w.communities.items() for c in cs}
        codes_of = {}
        for n in range(total):
            created = int(SPAN * ((n + rng.random()) / total) ** 0.85)
            age = SPAN - created
            table = RECENT if age < 48 * HOUR else MONTH if age < 720 * HOUR else OLD
            status = forced_status.get(n) or rng.choices(list(table), list(table.values()))[0]
            cat_id, cat_code, default_bureau, cat_measure = rng.choices(
                w.categories, category_weights
            )[0]
            measure = cat_measure if rng.random() < 0.8 else rng.choice(w.measures)
            street = dongsheng if n in forced_status else rng.choice(w.streets)[0]
            area = None
            if n in forced_status or rng.random() < 0.85:
                area = rng.choice(w.communities[street]) if rng.random() < 0.7 else street
            point = None
            if area is None or rng.random() < 0.8:
                point = (
                    round(rng.uniform(bounds[0], bounds[1]), 6),
                    round(rng.uniform(bounds[2], bounds[3]), 6),
                )
            street_id = street_of.get(area, area)
            moderators = w.moderators.get(street_id) or w.admins
            rid = base + n
            code = tracking_code(n)
            if code in w.taken_codes:
                code = tracking_code(n + 10_000_000)
            codes_of[rid] = code
            if n in active:
                user = w.active
            elif rng.random() < 0.5:
                user = self.resident_until(created)
            else:
                user = None
            key = f"user:{user}" if user else guest_key(GUESTS + n)
            # Where it goes: the category's bureau, sometimes another one.
            target = default_bureau or rng.choice(all_bureaus)
            if rng.random() < 0.1:
                target = rng.choice(all_bureaus)
            steps = self._path(status)
            if status == "duplicate" and not open_public:
                steps = ["submitted", "published"]
            delays = [rng.uniform(*DELAYS[s]) * HOUR for s in steps[1:]]
            room = SPAN - HOUR // 60 - created
            if sum(delays) > room:
                scale = room / sum(delays)
                delays = [d * scale for d in delays]
            times = [created]
            for delay in delays:
                times.append(times[-1] + int(delay))
            fields = {
                "published_at": None, "bureau_id": None, "routed_at": None,
                "accepted_at": None, "first_reply_at": None, "resolved_at": None,
                "return_count": 0, "satisfaction": None, "reopen_count": 0,
                "duplicate_of_id": None, "moderation_reason": None,
            }  # fmt: skip
            bureau, current, previous_bureau = None, "submitted", None
            for step, at in zip(steps, times, strict=True):
                stamp = w.at(at)
                note, event_bureau = None, None
                moderator = rng.choice(moderators)
                actor = None
                before, after = None, {"status": step}
                if step == "submitted":
                    action, actor = "report.submit", user
                elif step == "published":
                    action, actor = "report.publish", moderator
                    before = {"status": "submitted"}
                    fields["published_at"] = stamp
                elif step == "rejected":
                    action, actor, note = "report.reject", moderator, REJECT_REASON
                    fields["moderation_reason"] = note
                    before = {"status": "submitted"}
                    after = {"status": "rejected", "reason": note}
                elif step == "duplicate":
                    original = rng.choice(open_public[-5000:])
                    note = f"与报告 {codes_of[original]} 是同一问题,请到那里关注进展。"
                    action, actor = "report.duplicate", moderator
                    before = {"status": current}
                    after = {"status": "duplicate", "duplicate_of": codes_of[original]}
                    fields["duplicate_of_id"] = original
                    if fields["published_at"] is None:
                        fields["published_at"] = stamp
                    keys = self.supports.setdefault(original, {})
                    if key != rows[original - base][1] and key not in keys:
                        keys[key] = (user, stamp)
                elif step == "routed":
                    if previous_bureau is not None and rng.random() < 0.5:
                        bureau = rng.choice([b for b in all_bureaus if b != previous_bureau])
                    else:
                        bureau = target if previous_bureau != target else urban
                        if bureau == previous_bureau:
                            bureau = rng.choice([b for b in all_bureaus if b != bureau])
                    event_bureau = bureau
                    note = STEP_NOTES["routed"] if rng.random() < 0.2 else None
                    action, actor = "report.route", moderator
                    before = {"status": current, "bureau": None}
                    after = {"status": "routed", "bureau": self._code(bureau)}
                    fields.update(
                        bureau_id=bureau, routed_at=stamp, accepted_at=None,
                        first_reply_at=None, resolved_at=None,
                    )  # fmt: skip
                else:
                    actor = self._staff(bureau)
                    if step == "returned":
                        previous_bureau = bureau
                        event_bureau, note = bureau, STEP_NOTES[step]
                        action = "report.return"
                        fields["return_count"] += 1
                        fields["bureau_id"] = bureau = None
                    elif step == "accepted":
                        action = "report.accept"
                        fields["accepted_at"] = stamp
                    elif step == "replied":
                        event_bureau, note, action = bureau, STEP_NOTES[step], "report.reply"
                        after = {"status": current}
                        fields["first_reply_at"] = fields["first_reply_at"] or stamp
                    elif step in ("in_progress", "resolved"):
                        event_bureau, note, action = bureau, STEP_NOTES[step], f"report.{step}"
                        if step == "resolved":
                            action = "report.resolve"
                            fields["resolved_at"] = stamp
                    else:  # the resident's word on the fix
                        answer = "not_satisfied" if step == "reopened" else rng.choice(
                            ["satisfied", "satisfied", "basically_satisfied"]
                        )  # fmt: skip
                        actor, action = user, f"report.{answer}"
                        note = STEP_NOTES[step] if rng.random() < 0.3 else None
                        fields["satisfaction"] = answer
                        if step == "reopened":
                            event_bureau = bureau
                            fields["reopen_count"] += 1
                            fields["resolved_at"] = None
                if step != "replied":
                    current = step
                self.events.append((rid, step, note, stamp, event_bureau))
                self._audit(stamp, actor, action, "reports", rid, before, after, note)
            if current in ("published", "routed", "accepted", "in_progress", "returned"):
                open_public.append(rid)
            if current in PUBLIC and current != "duplicate" and rng.random() < 0.25:
                keys = self.supports.setdefault(rid, {})
                for _ in range(1 + min(int(rng.expovariate(1 / 3)), 40)):
                    supporter = self.resident_until(times[-1]) if rng.random() < 0.6 else None
                    skey = (
                        f"user:{supporter}"
                        if supporter
                        else self.guests[int(self.random() * GUESTS)]
                    )
                    if skey != key and skey not in keys:
                        at = times[1] + rng.randrange(max(1, SPAN - times[1]))
                        keys[skey] = (supporter, w.at(at))
            contact = None
            if user == w.active:
                contact = "active.resident@bench.planvoice.cn"
            elif rng.random() < 0.6:
                phone = f"13{rng.randrange(10**9):09d}"
                contact = phone if rng.random() < 0.5 else f"r{n}@example.cn"
            rows.append(
                [
                    rid, key, code, cat_id, measure,
                    DESCRIPTIONS.get(cat_code, DESCRIPTIONS["other"]),
                    area, "东盛大街 12 号附近" if area and rng.random() < 0.4 else None,
                    point[0] if point else None, point[1] if point else None, current,
                    fields["moderation_reason"], fields["published_at"],
                    rng.choice(SURNAMES) + "先生" if contact else None, contact,
                    "en" if rng.random() < 0.1 else "zh", user, f"bench-report-{n}",
                    w.at(created), w.at(times[-1]), fields["bureau_id"], fields["routed_at"],
                    fields["accepted_at"], fields["first_reply_at"], fields["resolved_at"],
                    fields["return_count"], fields["satisfaction"], fields["reopen_count"],
                    fields["duplicate_of_id"],
                ]
            )  # fmt: skip
        self._add_notes(rows)
        for row in rows:
            support_count = len(self.supports.get(row[0], ()))
            yield (*row[:1], *row[2:], row[1], support_count)

    def _code(self, bureau_id):
        return next(code for code, i in self.w.bureaus.items() if i == bureau_id)

    def _staff(self, bureau_id):
        staff = self.w.staff.get(bureau_id) or self.w.admins
        return staff[0] if len(staff) == 1 or self.rng.random() < 0.5 else self.rng.choice(staff)

    def _add_notes(self, rows):
        w, rng = self.w, self.rng
        routed = [row for row in rows if row[21] is not None]
        for k, row in enumerate(rng.sample(routed, min(NOTES, len(routed)))):
            nid = w.bases["report_notes"] + k
            bureau = row[20]
            author = self._staff(bureau) if bureau else rng.choice(w.admins)
            at = row[21] + timedelta(hours=rng.uniform(0.5, 20))
            at = min(at, w.anchor - timedelta(minutes=1))
            body = rng.choice(
                ["已电话联系居民,约好明天上门。", "需要与住建局协调。", "现场照片已存档。"]
            )
            self.notes.append((nid, row[0], author, body, at))
            self._audit(at, author, "report.note", "reports", row[0], None, {"note": nid})

    def support_rows(self):
        sid = self.w.bases["report_supports"]
        for report in sorted(self.supports):
            for key, (user, at) in self.supports[report].items():
                email = f"{key[-6:].lower()}@example.cn" if sid % 5 == 0 else None
                yield (sid, report, key, user, at, email, "zh" if email else None)
                sid += 1
