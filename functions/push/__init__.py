"""Push: the inbox (the record of every notice), and later preferences, campaigns, senders."""
