"""The application layer: one file in, one status out (process); indexing from the store; retraining."""
