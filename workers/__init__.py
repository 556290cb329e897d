"""Background work: uploads become jobs in the database, and workers (Celery, or threads inside the
application on the embedded default) ingest them. The jobs table is the truth.

The upload flow used by the web app and ``anjian submit``::

    batch_id = workers.dispatch.submit_files(db, settings, [(filename, data), ...], user="张三")
    workers.jobs.batch_status(db, batch_id)  # {id, created_at, counts, files: [{job_id, filename, state, ...}]}
"""
