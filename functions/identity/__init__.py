"""Identity: accounts, real-name levels, tokens, delegation."""
