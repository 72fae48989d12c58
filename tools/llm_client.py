"""One way to build the chat model client from settings, shared by the router and the reports tool."""

from __future__ import annotations


def chat_model(settings, *, timeout_s: float):
    """A deterministic ChatOpenAI client for settings' model and endpoint (langchain imported lazily)."""
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.openai_model,
        base_url=settings.openai_base_url,
        api_key=key,
        temperature=0,
        max_retries=1,
        timeout=timeout_s,
    )
