"""The ``govdata`` command."""
