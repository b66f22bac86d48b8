"""E-licences: types, signed issue, public verification, the wallet, sharing with consent."""
