"""The code Zappa ships: the API app and the worker entry points."""
