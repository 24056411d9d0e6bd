"""The migration that gives every existing designation and publication its verification code."""

from datetime import date

import pytest

from designations.verification import CODE_ALPHABET, CODE_LENGTH

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("designations", "0005_event_address")
AFTER = ("designations", "0006_verification_codes")


def test_existing_rows_get_distinct_codes(migrator):
    old = migrator.apply_initial_migration(BEFORE).apps
    User = old.get_model("organizations", "User")
    Bureau = old.get_model("organizations", "Bureau")
    Publication = old.get_model("designations", "Publication")
    Designation = old.get_model("designations", "Designation")
    user = User.objects.create(username="old_office", password="!")
    province = Bureau.objects.create(
        code="239000", name="旧省司法厅", region_name="旧省", level="province"
    )
    city = Bureau.objects.create(
        code="239900", name="旧市司法局", region_name="旧市", level="city", parent=province
    )
    publication = Publication.objects.create(
        kind="list",
        document_number="旧通〔2020〕1号",
        published_on=date(2020, 1, 1),
        published_by=user,
    )
    for n in range(1, 4):
        county = Bureau.objects.create(
            code=f"23990{n}", name=f"旧县{n}司法局", region_name=f"旧县{n}", level="county",
            parent=city,
        )  # fmt: skip
        Designation.objects.create(
            bureau=county, number=f"旧示〔2020〕{n}号", designated_on=date(2020, 1, 1),
            publication=publication,
        )  # fmt: skip

    new = migrator.apply_tested_migration(AFTER).apps
    codes = list(new.get_model("designations", "Designation").objects.values_list(
        "verification_code", flat=True
    ))  # fmt: skip
    codes.append(new.get_model("designations", "Publication").objects.get().verification_code)
    assert len(codes) == 4
    assert len(set(codes)) == 4
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(CODE_ALPHABET)
