"""suits: the register of suits (suits, suit_agencies, suit_judgments, suit_measures, suit_attachments,
suit_discussions), reminder_prefs and reminders_sent; the rows of followups move into the register and the
followups table goes.

Revision ID: 0008_suits
Revises: 0003b
Depends on: 0004 (users, for the reminder settings)
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_suits"
down_revision = "0003b"
branch_labels = None
depends_on = "0004"

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "suits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(340), nullable=True, unique=True),
        sa.Column("court", sa.String(200), nullable=True),
        sa.Column("case_no", sa.String(120), nullable=True),
        sa.Column("case_no_norm", sa.String(120), nullable=True),
        sa.Column("plaintiffs", JSON, nullable=False),
        sa.Column("sued_action", sa.Text(), nullable=True),
        sa.Column("action_type", sa.String(40), nullable=True),
        sa.Column("field", sa.String(40), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("judgment_received", sa.Date(), nullable=True),
        sa.Column("judgment_received_estimated", sa.Boolean(), nullable=False),
        sa.Column("withdrawn_after_correction", sa.Boolean(), nullable=False),
        sa.Column("history", JSON, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=True),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_suits_court", "suits", ["court"])
    op.create_index("ix_suits_case_no_norm", "suits", ["case_no_norm"])
    op.create_index("ix_suits_status", "suits", ["status"])
    op.create_table(
        "suit_agencies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("suit_id", sa.Integer(), sa.ForeignKey("suits.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "agency_id", sa.Integer(), sa.ForeignKey("agencies.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("papers_received", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("loss_reported_on", sa.Date(), nullable=True),
        sa.Column("causes", JSON, nullable=False),
        sa.Column("analysis", sa.Text(), nullable=True),
        _created(),
        sa.UniqueConstraint("suit_id", "agency_id", name="uq_suit_agencies_suit_agency"),
    )
    op.create_index("ix_suit_agencies_suit_id", "suit_agencies", ["suit_id"])
    op.create_index("ix_suit_agencies_agency_id", "suit_agencies", ["agency_id"])
    op.create_table(
        "suit_judgments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("suit_id", sa.Integer(), sa.ForeignKey("suits.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "judgment_id",
            sa.Integer(),
            sa.ForeignKey("judgments.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("linked_by", sa.String(100), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_suit_judgments_suit_id", "suit_judgments", ["suit_id"])
    op.create_table(
        "suit_measures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "suit_agency_id",
            sa.Integer(),
            sa.ForeignKey("suit_agencies.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(100), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("ix_suit_measures_suit_agency_id", "suit_measures", ["suit_agency_id"])
    op.create_table(
        "suit_attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("suit_id", sa.Integer(), sa.ForeignKey("suits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("stored_path", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(100), nullable=True),
        _created(),
    )
    op.create_index("ix_suit_attachments_suit_id", "suit_attachments", ["suit_id"])
    op.create_table(
        "suit_discussions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("suit_id", sa.Integer(), sa.ForeignKey("suits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_suit_discussions_suit_id", "suit_discussions", ["suit_id"])
    op.create_table(
        "reminder_prefs",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("email", sa.String(300), nullable=True),
        sa.Column("email_on", sa.Boolean(), nullable=False),
        sa.Column("webhook_url", sa.String(1000), nullable=True),
        sa.Column("webhook_on", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("key", "channel", name="uq_reminders_sent_key_channel"),
    )
    op.create_index("ix_reminders_sent_username", "reminders_sent", ["username"])
    _move_followups()
    op.drop_table("followups")


def _move_followups() -> None:
    """One suit per case number of the old follow-ups, one defendant row per follow-up."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT f.case_no, f.case_no_norm, f.agency_id, f.papers_received, f.papers_reported, "
            "f.judgment_received, f.judgment_reported, f.analysis, f.rectification, f.status, "
            "j.court, j.outcome, j.judgment_date, f.judgment_id "
            "FROM followups f LEFT JOIN judgments j ON j.id = f.judgment_id ORDER BY f.id"
        )
    ).all()
    suit_of: dict[str, int] = {}
    for r in rows:
        norm = r.case_no_norm
        if norm not in suit_of:
            status = "closed" if r.status == "closed" else ("decided" if r.outcome else "pending")
            key = f"{r.court.strip()}|{norm}" if r.court else None
            history = [{"on": None, "what": "由原「报备跟踪」记录迁入", "by": "migration 0008_suits"}]
            suit_id = conn.execute(
                sa.text(
                    "INSERT INTO suits (key, court, case_no, case_no_norm, plaintiffs, status, outcome, "
                    "decided_on, judgment_received, judgment_received_estimated, withdrawn_after_correction, "
                    "history, created_by) VALUES (:key, :court, :case_no, :norm, :plaintiffs, :status, "
                    ":outcome, :decided_on, :jr, false, false, :history, 'migration') RETURNING id"
                ).bindparams(sa.bindparam("plaintiffs", type_=JSON), sa.bindparam("history", type_=JSON)),
                {
                    "key": key,
                    "court": r.court,
                    "case_no": r.case_no,
                    "norm": norm,
                    "plaintiffs": [],
                    "status": status,
                    "outcome": r.outcome,
                    "decided_on": r.judgment_date,
                    "jr": r.judgment_received,
                    "history": history,
                },
            ).scalar_one()
            suit_of[norm] = suit_id
            if r.judgment_id is not None:
                conn.execute(
                    sa.text(
                        "INSERT INTO suit_judgments (suit_id, judgment_id, linked_by) "
                        "VALUES (:s, :j, 'migration')"
                    ),
                    {"s": suit_id, "j": r.judgment_id},
                )
        sa_id = conn.execute(
            sa.text(
                "INSERT INTO suit_agencies (suit_id, agency_id, papers_received, reported_on, "
                "loss_reported_on, causes, analysis) VALUES (:s, :a, :pr, :rep, :lr, :causes, :an) RETURNING id"
            ).bindparams(sa.bindparam("causes", type_=JSON)),
            {
                "s": suit_of[norm],
                "a": r.agency_id,
                "pr": r.papers_received,
                "rep": r.papers_reported,
                "lr": r.judgment_reported,
                "causes": [],
                "an": r.analysis,
            },
        ).scalar_one()
        if r.rectification:
            conn.execute(
                sa.text("INSERT INTO suit_measures (suit_agency_id, text, status) VALUES (:sa, :t, :st)"),
                {"sa": sa_id, "t": r.rectification, "st": "done" if r.status == "rectified" else "planned"},
            )


def downgrade() -> None:
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_no", sa.String(length=120), nullable=False),
        sa.Column("case_no_norm", sa.String(length=120), nullable=False),
        sa.Column("judgment_id", sa.Integer(), sa.ForeignKey("judgments.id", ondelete="SET NULL")),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id", ondelete="SET NULL")),
        sa.Column("papers_received", sa.Date()),
        sa.Column("papers_reported", sa.Date()),
        sa.Column("judgment_received", sa.Date()),
        sa.Column("judgment_reported", sa.Date()),
        sa.Column("analysis", sa.Text()),
        sa.Column("rectification", sa.Text()),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("case_no_norm", "agency_id", name="uq_followups_case_agency"),
    )
    for name in (
        "reminders_sent",
        "reminder_prefs",
        "suit_discussions",
        "suit_attachments",
        "suit_measures",
        "suit_judgments",
        "suit_agencies",
        "suits",
    ):
        op.drop_table(name)
