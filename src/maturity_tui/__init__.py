"""maturity-tui: run live maturity workshops in the terminal.

Kept empty of imports so that the command line starts without loading Textual.
"""

__version__ = "0.1.0"
