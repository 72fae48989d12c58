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

    log_level: str = Field("WARNING", alias="CRMBOT_LOG_LEVEL")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_base_url and self.openai_model)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
