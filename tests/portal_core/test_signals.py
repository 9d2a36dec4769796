"""The portal's signals call their receivers in the order they were connected (the order
of PLUGINS), whatever their addresses in memory and whichever module was imported first
(``invoke serve`` imports them before Pelican, which orders blinker's signals)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

CHECK = textwrap.dedent(
    """
    import sys
    from plugins.portal_core.signals import signal
    assert "pelican" not in sys.modules  # as under invoke serve: Pelican not imported yet

    called = []

    def receiver(number):
        def receive(sender, **kwargs):
            called.append(number)
        return receive

    made = [receiver(n) for n in range(64)]  # made in one order, connected in another
    order = [*range(1, 64, 2), *range(0, 64, 2)][::-1]
    test_signal = signal("portal-test-order")
    for n in order:
        test_signal.connect(made[n])
    test_signal.send(None)
    assert called == order, called
    test_signal.disconnect(made[order[0]])
    called.clear()
    test_signal.send(None)
    assert called == order[1:], called
    """
)


def test_receivers_are_called_in_the_order_they_were_connected():
    run = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
