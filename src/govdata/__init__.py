"""govdata — an integrated government data platform (一体化政务大数据平台)."""

__version__ = "0.1.0"
