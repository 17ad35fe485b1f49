"""Taking the top places of a ranking (流动红旗, 优秀, 服务标兵), with the rulebook's way of breaking ties."""
from dataclasses import dataclass, field


@dataclass
class Pick:
    """The items given a place, and those tied at the last place that were left out or let in beyond n."""

    chosen: list = field(default_factory=list)
    tied_out: list = field(default_factory=list)  # tied at the border and left out: a quota is never exceeded
    shared: list = field(default_factory=list)  # tied at the border and all let in: the last place is shared


def top(items: list, n: int, order, share_ties: bool) -> Pick:
    """Take the n best items by order (a key, higher first); a tie at the border goes all in or all out."""
    ranked = sorted(items, key=order, reverse=True)  # stable: equal keys keep the given order
    if n <= 0:
        return Pick()
    if len(ranked) <= n or order(ranked[n - 1]) != order(ranked[n]):
        return Pick(ranked[:n])
    border = order(ranked[n - 1])
    above = [i for i in ranked if order(i) > border]
    tied = [i for i in ranked if order(i) == border]
    if share_ties:
        return Pick(above + tied, shared=tied)
    return Pick(above, tied_out=tied)
