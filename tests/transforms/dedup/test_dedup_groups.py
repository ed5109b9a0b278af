import numpy as np

from transforms.dedup.groups import canonical_flags, connected_components, short_id, spun_side, word_commonness


def test_components_take_the_smallest_member():
    comp = connected_components(6, np.array([[4, 1], [1, 3], [2, 5]]))
    assert comp.tolist() == [0, 1, 2, 1, 1, 2]


def test_short_id_ignores_member_order():
    assert short_id("g", ["b", "a"]) == short_id("g", ["a", "b"]) != short_id("g", ["a"])


def test_canonical_prefers_unspun_then_longest_then_smallest_id():
    flags = canonical_flags(np.array([0, 0, 0, 3]), np.array([100, 300, 300, 5]), ["a", "b", "c", "d"],
                            np.array([False, True, False, False]))
    assert flags.tolist() == [False, False, True, True]


def test_spun_side_is_the_side_with_rarer_words():
    common, rare_a, rare_b = np.uint64(1), np.uint64(2), np.uint64(3)
    sets = [np.array([common, rare_a]), np.array([common, rare_b]), np.array([common, rare_b])]
    assert spun_side(sets[0], sets[1], word_commonness(sets)) == 0
