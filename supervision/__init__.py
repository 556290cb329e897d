"""The bureau's supervision workflow: the ledger, follow-up reports and their working-day deadlines."""
