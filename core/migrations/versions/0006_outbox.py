"""outbox and court-aware linking: index_outbox rows written with every stored judgment; judgments keyed by
case number + kind + court (link_key) instead of case number + kind, with a review note for collisions

Revision ID: 0006_outbox
Revises: 0001
Create Date: 2026-12-04 18:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_outbox"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("judgment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_index_outbox_judgment_id", "index_outbox", ["judgment_id"])
    with op.batch_alter_table("judgments") as batch:
        batch.add_column(sa.Column("link_key", sa.String(length=400), nullable=True))
        batch.add_column(sa.Column("review_note", sa.Text(), nullable=True))
        batch.drop_constraint("uq_judgments_case_no_doc_kind", type_="unique")
        batch.create_unique_constraint("uq_judgments_link_key", ["link_key"])
    judgments = sa.table(
        "judgments",
        sa.column("id", sa.Integer),
        sa.column("case_no", sa.String),
        sa.column("doc_kind", sa.String),
        sa.column("court", sa.String),
        sa.column("link_key", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(judgments.c.id, judgments.c.case_no, judgments.c.doc_kind, judgments.c.court)
    )
    for jid, case_no, doc_kind, court in rows.fetchall():
        if case_no:
            key = f"{case_no}|{doc_kind or ''}|{(court or '').replace(' ', '')}"[:400]
            conn.execute(judgments.update().where(judgments.c.id == jid).values(link_key=key))
    # judgments stored before the outbox existed are covered by the count check every writing command runs


def downgrade() -> None:
    with op.batch_alter_table("judgments") as batch:
        batch.drop_constraint("uq_judgments_link_key", type_="unique")
        batch.create_unique_constraint("uq_judgments_case_no_doc_kind", ["case_no", "doc_kind"])
        batch.drop_column("review_note")
        batch.drop_column("link_key")
    op.drop_index("ix_index_outbox_judgment_id", table_name="index_outbox")
    op.drop_table("index_outbox")
