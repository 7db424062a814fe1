"""Area codes across boundary vintages: recode, match names, roll up.

Examples
--------
>>> from migkit.geography import Bridge
>>> bridge = Bridge.from_data_dir()
>>> bridge.recode("39UB")  # Bridgnorth, merged into Shropshire in 2009
[('E06000051', 1.0)]
>>> len(bridge.members("E12000005"))
30
"""

from migkit._migkit import Bridge

__all__ = ["Bridge"]
