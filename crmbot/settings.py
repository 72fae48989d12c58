"""Settings from the environment and `.env` (pydantic-settings).

Every variable is listed, with a comment, in `.env.example`. Secrets live only here,
read from the environment; nothing logs them.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Database
    database_url: str = Field("sqlite:///crmbot.db", alias="DATABASE_URL")
    statement_timeout_s: float = Field(10.0, alias="CRMBOT_STATEMENT_TIMEOUT_S")
    report_row_limit: int = Field(5000, alias="CRMBOT_REPORT_ROW_LIMIT")
    # A team's semantic model overlay (YAML) merged over the default: metrics, synonyms, table names
    semantic_file: str | None = Field(None, alias="CRMBOT_SEMANTIC_FILE")
    # what one report may hold: all its values together, and any single value (bytes)
    report_max_bytes: int = Field(20_000_000, alias="CRMBOT_REPORT_MAX_BYTES")
    report_cell_max_bytes: int = Field(65_536, alias="CRMBOT_REPORT_CELL_MAX_BYTES")

    # Slack
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    slack_alert_channel: str | None = Field(None, alias="CRMBOT_ALERT_CHANNEL")

    # LLM (any OpenAI-compatible endpoint); optional
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_api_key: SecretStr | None = Field(None, alias="OPENAI_API_KEY")
    openai_model: str | None = Field(None, alias="OPENAI_MODEL")
    # one question's whole wait on the model (router and SQL writer together), and its reply size
    llm_time_budget_s: float = Field(20.0, alias="CRMBOT_LLM_TIME_BUDGET_S")
    llm_max_reply_chars: int = Field(20_000, alias="CRMBOT_LLM_MAX_REPLY_CHARS")

    # Where the bot keeps files it makes (charts, CSV exports, models, the vector store)
    data_dir: str = Field("./.crmbot", alias="CRMBOT_DATA_DIR")

    # Invoices
    invoice_admin_only_above: float = Field(50000.0, alias="CRMBOT_INVOICE_ADMIN_ONLY_ABOVE")
    default_payment_terms: str = Field("net_30", alias="CRMBOT_DEFAULT_PAYMENT_TERMS")
    tax_rates_file: str | None = Field(None, alias="CRMBOT_TAX_RATES_FILE")
    # "history": a customer's consistent past tax (exempt, reverse charge) before the country table
    tax_source: Literal["history", "table"] = Field("history", alias="CRMBOT_TAX_SOURCE")
    default_tax_rate: Decimal | None = Field(None, alias="CRMBOT_DEFAULT_TAX_RATE", ge=0, le=1)
    invoice_limit_currency: str = Field("USD", alias="CRMBOT_INVOICE_LIMIT_CURRENCY")
    fx_rates_file: str | None = Field(None, alias="CRMBOT_FX_RATES_FILE")
    max_invoice_amount: Decimal = Field(Decimal("100000000"), alias="CRMBOT_MAX_INVOICE_AMOUNT", gt=0)
    max_due_days: int = Field(366, alias="CRMBOT_MAX_DUE_DAYS", ge=0, le=3660)
    # `crmbot db upgrade` creates the duplicate check's indexes on a team's own invoices table
    create_team_indexes: bool = Field(True, alias="CRMBOT_CREATE_TEAM_INDEXES")

    # Insights bands (health score cut-offs)
    health_green_min: float = Field(70.0, alias="CRMBOT_HEALTH_GREEN_MIN")
    health_yellow_min: float = Field(45.0, alias="CRMBOT_HEALTH_YELLOW_MIN")
    # Churn risk levels from the probability of churning within 180 days
    churn_medium_min: float = Field(0.15, alias="CRMBOT_CHURN_MEDIUM_MIN")
    churn_high_min: float = Field(0.35, alias="CRMBOT_CHURN_HIGH_MIN")
    # Health model file (YAML: weights, bands, caps, alerts), validated when read
    health_model_file: str | None = Field(None, alias="CRMBOT_HEALTH_MODEL_FILE")

    # Proactive bot: the worker, alerts and schedules
    alerts_per_hour: int = Field(30, ge=1, alias="CRMBOT_ALERTS_PER_HOUR")
    default_timezone: str = Field("UTC", alias="CRMBOT_DEFAULT_TIMEZONE")
    worker_poll_s: float = Field(1.0, gt=0, alias="CRMBOT_WORKER_POLL_S")

    # HTTP server (`crmbot serve --http`): limits on what a client may send, and the API's rate limit
    http_max_body_bytes: int = Field(1_048_576, alias="CRMBOT_HTTP_MAX_BODY_BYTES")
    http_header_timeout_s: float = Field(10.0, alias="CRMBOT_HTTP_HEADER_TIMEOUT_S")
    http_body_timeout_s: float = Field(30.0, alias="CRMBOT_HTTP_BODY_TIMEOUT_S")
    http_shutdown_grace_s: float = Field(10.0, alias="CRMBOT_HTTP_SHUTDOWN_GRACE_S")
    api_rate_limit: str = Field("120/minute", alias="CRMBOT_API_RATE_LIMIT")
    api_rate_limit_storage: str = Field("memory://", alias="CRMBOT_API_RATE_LIMIT_STORAGE")

    # Who sees what: each role's data scope, who may read people data, where answers go, the audit trail
    rep_scope: Literal["all", "team", "own"] = Field("all", alias="CRMBOT_REP_SCOPE")
    manager_scope: Literal["all", "team"] = Field("all", alias="CRMBOT_MANAGER_SCOPE")
    people_data_roles: str = Field("manager,admin", alias="CRMBOT_PEOPLE_DATA_ROLES")
    channel_answers: Literal["thread", "ephemeral", "dm"] = Field("thread", alias="CRMBOT_CHANNEL_ANSWERS")
    audit_retention_days: int = Field(365, ge=0, alias="CRMBOT_AUDIT_RETENTION_DAYS")
    # where the audit trail is kept; empty: audit.db in CRMBOT_DATA_DIR (never the CRM database by default)
    audit_database_url: str | None = Field(None, alias="CRMBOT_AUDIT_DATABASE_URL")

    log_level: str = Field("WARNING", alias="CRMBOT_LOG_LEVEL")

    @property
    def people_roles(self) -> frozenset[str]:
        """The roles that may read people data (emails, phones, Slack ids)."""
        return frozenset(r.strip().lower() for r in self.people_data_roles.split(",") if r.strip())

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_base_url and self.openai_model)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
