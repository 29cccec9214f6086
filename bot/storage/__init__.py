"""Storage: SQLAlchemy tables, Alembic migrations, and the quiz's persistence."""
