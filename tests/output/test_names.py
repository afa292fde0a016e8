"""A leader's name as the figures print it: short, and still saying who he is."""

import pytest

from simulation.output.names import NAME_CHARACTERS, display_name, surname

LONG = "Joseph Vissarionovich Stalin (Dzhugashvili), General Secretary of the CC"  # 72


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (LONG, "Joseph Vissarionovich\nStalin"),  # the post after the comma dropped
        (
            "Иосиф Виссарионович Сталин (Джугашвили) — Генеральный секретарь ЦК РКП(б)",
            "Иосиф Виссарионович\nСталин",
        ),
        ("Grigory (Sergo) Ordzhonikidze", "Grigory (Sergo)\nOrdzhonikidze"),  # fits two: whole
        ("Yevgeni Preobrazhensky", "Yevgeni Preobrazhensky"),
        ("Leon Trotsky", "Leon Trotsky"),
    ],
)
def test_a_long_name_is_printed_on_two_short_lines_that_keep_the_surname(name, shown):
    assert display_name(name) == shown
    lines = display_name(name).split("\n")
    assert len(lines) <= 2 and max(map(len, lines)) <= NAME_CHARACTERS


def test_given_names_too_long_for_a_line_are_cut_short_over_the_surname():
    name = "Aleksandr Aleksandrovich Aleksandrovich-Aleksandrovsky Bonch-Bruyevich"
    assert display_name(name) == "Aleksandr…\nBonch-Bruyevich"


def test_a_name_of_one_endless_word_is_cut_short():
    assert display_name("X" * 40) == "X" * (NAME_CHARACTERS - 1) + "…"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Иосиф Виссарионович Сталин (Джугашвили) — Генеральный секретарь ЦК РКП(б)", "Сталин"),
        ("Лев Троцкий 🚩", "Троцкий"),  # not the emoji, an empty box
        ("Grigory (Sergo) Ordzhonikidze", "Ordzhonikidze"),
        (LONG, "Stalin"),  # not "CC"
        ("Vladimir Dmitrievich Bonch-Bruyevich", "Bonch-Bruyevich"),
        ("ვიაჩესლავ მოლოტოვი", "მოლოტოვი"),
        ("Stalin", "Stalin"),
    ],
)
def test_a_node_names_a_leader_by_the_last_word_of_letters_of_his_name(name, label):
    assert surname(name) == label


def test_a_name_with_no_word_of_letters_is_its_own_label_cut_short():
    assert surname("🚩 1917") == "🚩 1917"
    assert len(surname("🚩" * 40)) == NAME_CHARACTERS
