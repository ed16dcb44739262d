"""Names a new character may not take: one that passes for an admin's
(``accounts.imitates``: played by a griefer as "Oberonn", who told a new player he kept
the world and asked for her password), and a slur spelt around the list
(``accounts.new_name_problem``: "Fuuuck", "Phuck")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mud.engine.accounts import imitates, new_name_problem

ADMINS = ("oberon", "lise")


@pytest.mark.parametrize(
    ("name", "keeper"),
    [
        ("Oberonn", "Oberon"),  # a letter doubled
        ("Obberon", "Oberon"),
        ("Oberom", "Oberon"),  # one letter changed
        ("Obreon", "Oberon"),  # two swapped
        ("Oberorn", "Oberon"),  # "rn" reads as "m"... and as "n" doubled
        ("Oeron", "Oberon"),  # one dropped
        ("Oberonsson", "Oberon"),  # the name itself, lengthened (played by a griefer)
        ("Kingoberon", "Oberon"),
        ("Obe", "Oberon"),  # the start of it: 'tell obe ...' meant for the admin (played)
        ("Lis", "Lise"),
        ("Obi", ""),
        ("Ilse", "Lise"),  # "I" and "l" are one letter in many fonts
        ("OBERON", ""),  # the admin's own name is theirs (it logs in)
        ("Mara", ""),
        ("Obadiah", ""),
        ("Liam", ""),
    ],
)
def test_who_a_new_name_passes_for(name: str, keeper: str) -> None:
    assert imitates(name, ADMINS) == keeper


def test_short_names_are_compared_by_the_eye_only() -> None:
    assert imitates("Annabel", ("ann",)) == ""  # three letters lengthened: a name
    # One letter from "Ann" is half the names there are; doubled, it is Ann to the eye.
    assert imitates("Anne", ("ann",)) == ""
    assert imitates("Ana", ("ann",)) == ""
    assert imitates("Annn", ("ann",)) == "Ann"


def test_no_admins_no_keeper() -> None:
    assert imitates("Oberonn", ()) == ""


_NAME = st.text("abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12)


@given(_NAME, st.integers(0, 11), st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
def test_any_name_one_letter_from_an_admin_s_is_refused(keeper: str, at: int, ch: str) -> None:
    at %= len(keeper)
    for name in (
        keeper[:at] + ch + keeper[at:],  # one added
        keeper[:at] + ch + keeper[at + 1 :],  # one changed
        keeper[:at] + keeper[at + 1 :],  # one dropped
    ):
        if name != keeper and len(name) > 3:  # three letters: by the eye only
            assert imitates(name.title(), (keeper,)) == keeper.title()


REFUSED = "That name is not allowed here. Please choose another."


@pytest.mark.parametrize(
    "name", ["Fuuuck", "Fuuuckface", "Phuck", "Fvck", "Shiiit", "Kunt", "Niggga", "Biatch"]
)
def test_a_slur_spelt_around_the_list_is_refused(name: str) -> None:
    assert new_name_problem(name) == REFUSED


@pytest.mark.parametrize(
    "name", ["Nigel", "Cassius", "Quentin", "Vivian", "Jacqueline", "Rocky", "Savvy", "Ekko"]
)
def test_names_that_only_look_near_one_are_free(name: str) -> None:
    assert new_name_problem(name) == ""
