"""Storage: the SQLAlchemy engine, models, repositories and Alembic migrations."""
