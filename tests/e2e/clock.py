"""The clock of a browser test and of its live server (one process), moved forward."""

import time_machine


class Clock:
    """Moved forward step by step, ticking from each moment it is set to."""

    def __init__(self) -> None:
        self.traveller = None

    def to(self, moment) -> None:
        self.stop()
        self.traveller = time_machine.travel(moment, tick=True)
        self.traveller.start()

    def stop(self) -> None:
        if self.traveller is not None:
            self.traveller.stop()
            self.traveller = None
