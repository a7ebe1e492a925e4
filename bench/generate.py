"""Scale data generators, run in a process pointed at a bench database.

    DATABASE_URL=sqlite:///var/bench/x.sqlite3 python -m bench.generate --profile main

Every generator imports its model lazily and says "skipped: model not yet
built" when the feature has not landed. Rows are made with bulk_create and
filled by introspection (choices, foreign keys to communes, users,
organisations and other generated rows, French text), then adjusted by the
per-model hooks below, so a new field does not break the bench.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta

BATCH = 2000

# (label, model candidates, count by profile, hook name)
# Profiles: "main" = the 5,000-project portal with everything else,
# "big" = 100,000 projects only, "quick" = a small main.
PLAN = [
    ("projects", ["projects.Project"], {"main": 5000, "big": 100_000, "quick": 5000}),
    (
        "events",
        ["agenda.Event"],
        {"main": 20_000, "quick": 2000},
    ),
    (
        "seekers",
        ["matching.SeekerProfile", "matching.Seeker", "matching.Profile"],
        {"main": 20_000, "quick": 2000},
    ),
    ("ads", ["ads.Ad"], {"main": 10_000, "quick": 1000}),
    ("land_offers", ["ads.Ad"], {"main": 2000, "quick": 200}),
]

BENCH_MARK = "bench"


def log(message):
    print(message, flush=True)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "habitat.settings")
    import django

    django.setup()


def find_model(candidates):
    from django.apps import apps

    for label in candidates:
        try:
            return apps.get_model(label)
        except LookupError:
            continue
    return None


class Filler:
    """Fill a model's concrete fields with plausible values."""

    def __init__(self, rng, pools):
        self.rng = rng
        self.pools = pools  # model class -> list of pks (or instances for Commune)
        self.now = time.time()

    def value(self, field, index, row):
        from django.db import models
        from django.utils import timezone

        from bench import text

        rng = self.rng
        name = field.name
        if field.unique and isinstance(field, models.CharField):
            return f"{BENCH_MARK}-{field.model.__name__.lower()}-{index}"[
                : field.max_length
            ]
        if field.choices:
            values = [value for value, _label in field.flatchoices if value != ""]
            if name == "status" and "published" in values:
                return "published"
            return rng.choice(values)
        if isinstance(field, models.ForeignKey):
            target = field.related_model
            pool = self.pools.get(target)
            if pool:
                return rng.choice(pool)
            if field.null:
                return None
            raise LookupError(f"{field.model.__name__}.{name} -> {target.__name__}")
        if isinstance(field, models.SlugField):
            return f"{BENCH_MARK}-{field.model.__name__.lower()}-{index}"
        if isinstance(field, models.EmailField):
            return f"bench{index}@example.org"
        if isinstance(field, models.URLField):
            return f"https://exemple.fr/{index}" if rng.random() < 0.5 else ""
        if isinstance(field, (models.FileField,)):
            return ""
        if isinstance(field, models.TextField):
            limit = field.max_length or 4000
            return text.paragraph(rng, rng.randint(2, 6))[:limit]
        if isinstance(field, models.CharField):
            limit = field.max_length or 100
            if name in {"name", "title"}:
                commune = row.get("_commune")
                return text.project_name(rng, commune.name if commune else "Lyon")[
                    :limit
                ]
            if "zone" in name or name in {"tz", "tzid"}:
                commune = row.get("_commune")
                return commune.time_zone if commune is not None else "Europe/Paris"
            if "phone" in name or "telephone" in name:
                return "01 23 45 67 89"[:limit]
            if "postal" in name:
                return "69001"[:limit]
            if "rule" in name or "rrule" in name:
                return ""
            return text.phrase(rng, 3)[:limit]
        if isinstance(field, models.BooleanField):
            return rng.random() < 0.5
        if isinstance(field, models.DateTimeField):
            return timezone.now() + timedelta(days=rng.randint(-300, 300))
        if isinstance(field, models.DateField):
            return (timezone.now() + timedelta(days=rng.randint(-300, 300))).date()
        if isinstance(field, models.DurationField):
            return timedelta(hours=2)
        if isinstance(field, models.FloatField):
            commune = row.get("_commune")
            if commune is not None and "lat" in name:
                return commune.latitude + rng.uniform(-0.01, 0.01)
            if commune is not None and ("lon" in name or "lng" in name):
                return commune.longitude + rng.uniform(-0.01, 0.01)
            return round(rng.uniform(0, 100), 2)
        if isinstance(field, models.DecimalField):
            return rng.randint(0, 300_000)
        if isinstance(field, (models.IntegerField,)):
            if "year" in name:
                return rng.randint(1995, 2026)
            low = 0 if not isinstance(field, models.PositiveIntegerField) else 1
            return rng.randint(low, 40)
        if isinstance(field, models.JSONField):
            return {} if not callable(field.default) else field.default()
        if isinstance(field, models.UUIDField):
            import uuid

            return uuid.UUID(int=rng.getrandbits(128))
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        raise LookupError(f"cannot fill {field.model.__name__}.{name}")

    def unique_pk(self, field, index):
        """One-to-one targets: a fresh user (or row) per generated row."""
        from django.contrib.auth.hashers import make_password

        from habitat.accounts.models import User

        key = ("unique", field.model, field.name)
        queue = self.pools.setdefault(key, [])
        if not queue:
            if field.related_model is not User:
                raise LookupError(f"one-to-one {field.model.__name__}.{field.name}")
            password = self.pools.setdefault("_password", make_password("bench-pw-1"))
            base = User.objects.count()
            users = User.objects.bulk_create(
                User(
                    email=f"bench-{field.model.__name__.lower()}-{base + i}@example.org",
                    display_name=f"Personne {base + i}",
                    email_verified=True,
                    password=password,
                    is_demo=True,
                )
                for i in range(BATCH)
            )
            if users[0].pk is None:  # backends without RETURNING
                emails = [user.email for user in users]
                queue.extend(
                    User.objects.filter(email__in=emails).values_list("pk", flat=True)
                )
            else:
                queue.extend(user.pk for user in users)
        return queue.pop()

    def row(self, model, index, overrides=None):
        from django.db import models

        from habitat.territories.models import Commune

        row = {"_fields": {f.attname for f in model._meta.concrete_fields}}
        commune_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is Commune
        ]
        if commune_fields:
            row["_commune"] = self.rng.choice(self.pools["_communes"])
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key and field.auto_created:
                continue
            if isinstance(field, (models.AutoField, models.BigAutoField)):
                continue
            if getattr(field, "auto_now", False) or getattr(
                field, "auto_now_add", False
            ):
                continue
            if isinstance(field, models.ForeignKey) and field.related_model is Commune:
                values[field.attname] = row["_commune"].insee
                continue
            if field.name == "department" and row.get("_commune"):
                values["department_id"] = row["_commune"].department_id
                continue
            if field.name == "region" and row.get("_commune"):
                values["region_id"] = row["_commune"].region_id
                continue
            if isinstance(field, models.ForeignKey) and field.unique:
                values[field.attname] = self.unique_pk(field, index)
                continue
            if isinstance(field, models.ForeignKey):
                pool = self.pools.get(field.related_model)
                if not pool and field.null:
                    continue
                values[field.attname] = self.value(field, index, row)
                continue
            if not field.editable and (field.has_default() or field.null):
                continue  # computed by the code (caches, fingerprints)
            if field.name == "published_at":
                from django.utils import timezone

                values["published_at"] = timezone.now() - timedelta(
                    days=self.rng.randint(1, 400)
                )
                continue
            if field.blank and field.null and self.rng.random() < 0.3:
                continue
            values[field.attname] = self.value(field, index, row)
        for name in ("is_demo", "is_bench"):
            if name in {f.name for f in model._meta.concrete_fields}:
                values[name] = True
        if overrides:
            values.update(overrides(self.rng, index, row, values) or {})
        # Folded search columns that save() would have computed.
        from habitat.core.text import fold

        for field in model._meta.concrete_fields:
            if field.name.startswith("search") or field.name.endswith("_folded"):
                if isinstance(field, models.CharField | models.TextField):
                    source = " ".join(
                        str(values.get(key, ""))
                        for key in ("name", "title", "summary", "description", "body")
                    )
                    values[field.attname] = fold(source)[: field.max_length or None]
        return model(**values)


def event_hook(rng, index, row, values):
    """10% recurring, start before end, in the next year mostly."""
    from django.utils import timezone

    start = timezone.now() + timedelta(
        days=rng.randint(-30, 365), hours=rng.randint(0, 23)
    )
    extra = {}
    names = row["_fields"]
    for key in ("start", "starts_at", "start_at", "dtstart"):
        if key in names:
            extra[key] = start
    for key in ("end", "ends_at", "end_at", "dtend"):
        if key in names:
            extra[key] = start + timedelta(hours=rng.randint(1, 8))
    recurring = index % 10 == 0
    for key in ("rrule", "recurrence", "recurrence_rule"):
        if key in names:
            extra[key] = (
                rng.choice(["FREQ=WEEKLY;COUNT=20", "FREQ=MONTHLY;BYDAY=1SA;COUNT=12"])
                if recurring
                else ""
            )
    if "all_day" in names:
        extra["all_day"] = False
    if "start_date" in names:
        extra["start_date"] = None
        extra["end_date"] = None
    if "last_end" in names:
        extra["last_end"] = start + timedelta(days=140 if recurring else 0, hours=8)
    if "state" in names and rng.random() < 0.9:
        extra["state"] = "scheduled"
    for key in ("parent_id", "recurrence_id"):
        if key in names:
            extra[key] = None
    return extra


def ad_hook(rng, index, row, values):
    from django.utils import timezone

    extra = {"expires_at": timezone.now() + timedelta(days=rng.randint(1, 90))}
    if values.get("category") == "land":
        values["category"] = "other"
    return {k: v for k, v in extra.items() if k in values or k == "expires_at"}


def land_hook(rng, index, row, values):
    extra = ad_hook(rng, index, row, values)
    extra.update({"category": "land", "kind": "offer"})
    return extra


HOOKS = {"events": event_hook, "ads": ad_hook, "land_offers": land_hook}


def make_pools(rng, filler_pools):
    """Bench users and organisations (bulk), communes with coordinates."""
    from django.contrib.auth.hashers import make_password

    from habitat.accounts.models import Membership, Organisation, User
    from habitat.territories.models import Commune, Region

    communes = list(
        Commune.objects.filter(latitude__isnull=False, is_current=True).only(
            "insee", "name", "department_id", "latitude", "longitude"
        )
    )
    filler_pools["_communes"] = communes
    if not User.objects.filter(email__startswith="bench-").exists():
        password = make_password("bench-password-123")
        User.objects.bulk_create(
            User(
                email=f"bench-{i}@example.org",
                display_name=f"{rng.choice(['Camille', 'Lucie', 'Hugo', 'Inès'])} {i}",
                email_verified=True,
                password=password,
                is_demo=True,
            )
            for i in range(300)
        )
    filler_pools[User] = list(
        User.objects.filter(email__startswith="bench-").values_list("pk", flat=True)
    )
    if not Organisation.objects.filter(slug__startswith="bench-").exists():
        regions = list(Region.objects.all())
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Association {region.name}",
                slug=f"bench-asso-{region.code}",
                kind=Organisation.Kind.ASSOCIATION,
                is_demo=True,
            )
            for region in regions
        )
        through = Organisation.regions.through
        through.objects.bulk_create(
            through(organisation_id=org.pk, region_id=region.code)
            for org, region in zip(organisations, regions, strict=True)
        )
        Membership.objects.bulk_create(
            Membership(
                user_id=filler_pools[User][i],
                organisation_id=org.pk,
                role=Membership.Role.MODERATOR,
            )
            for i, org in enumerate(organisations)
        )
    filler_pools[Organisation] = list(
        Organisation.objects.filter(slug__startswith="bench-").values_list(
            "pk", flat=True
        )
    )


def generate(profile: str, seed: int = 2026) -> dict:
    from django.db import transaction

    rng = random.Random(seed)
    pools = {}
    report = {}
    make_pools(rng, pools)
    filler = Filler(rng, pools)
    for label, candidates, counts in PLAN:
        count = counts.get(profile)
        if not count:
            continue
        model = find_model(candidates)
        if model is None:
            report[label] = "skipped: model not yet built"
            log(f"  {label:<12} skipped: model not yet built")
            continue
        hook = HOOKS.get(label)
        started = time.perf_counter()
        try:
            made = 0
            offset = model.objects.count()
            with transaction.atomic():
                while made < count:
                    size = min(BATCH, count - made)
                    rows = [
                        filler.row(model, offset + made + i, hook) for i in range(size)
                    ]
                    model.objects.bulk_create(rows, batch_size=500)
                    made += size
        except Exception as exc:  # a landing model we cannot fill yet
            report[label] = f"skipped: {type(exc).__name__}: {exc}"[:300]
            log(f"  {label:<12} {report[label]}")
            continue
        pools[model] = list(model.objects.values_list("pk", flat=True)[:50_000])
        elapsed = time.perf_counter() - started
        report[label] = {"rows": count, "seconds": round(elapsed, 2)}
        log(f"  {label:<12} {count:>7} rows in {elapsed:5.1f} s ({model._meta.label})")
    report["documents"] = index_documents()
    report["post"] = run_post_build()
    return report


def index_documents() -> dict:
    """The searchable documents: every row of every model registered with
    habitat.core.search (bulk_create sends no signal, so index them here).
    The "big" profile gives 100,000 indexed project sheets."""
    try:
        from habitat.core import search
    except ImportError:
        return {"skipped": "search index not yet built"}
    made = {}
    for label, entry in list(getattr(search, "_registry", {}).items()):
        started = time.perf_counter()
        count = entry.model._default_manager.count()
        if not count:
            continue
        terms = search.reindex(entry.model)
        made[label] = {
            "documents": count,
            "terms": terms,
            "seconds": round(time.perf_counter() - started, 1),
        }
        log(f"  indexed {label}: {count} documents, {terms} terms")
    return made


# Rebuild hooks the apps offer after bulk loads (signals do not fire on
# bulk_create). Each is tried when it exists: "dotted.path:function".
POST_BUILD = [
    "habitat.projects.map:rebuild_map_data",
    "habitat.matching.engine:recompute_all",
]


def run_post_build() -> dict:
    import importlib

    done = {}
    for spec in POST_BUILD:
        module_name, function_name = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, function_name, None)
        if function is None:
            continue
        started = time.perf_counter()
        try:
            function()
        except Exception as exc:
            done[spec] = f"failed: {type(exc).__name__}: {exc}"[:200]
            continue
        done[spec] = round(time.perf_counter() - started, 2)
        log(f"  post-build {spec} in {done[spec]} s")
    return done


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=["main", "big", "quick"], required=True)
    parser.add_argument("--report", help="write the JSON report here")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from habitat.territories.models import Commune

    if not Commune.objects.exists():
        call_command("load_geography", "--no-outlines", verbosity=0)
    log(f"  schema + geography in {time.perf_counter() - started:.1f} s")
    report = generate(args.profile)
    if args.report:
        with open(args.report, "w") as handle:
            json.dump(report, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
