"""One way to build the chat model client from settings, shared by the router and the reports tool,
and the bounds every model call runs under.

A question gets one time budget on the model (``LlmBudget``, CRMBOT_LLM_TIME_BUDGET_S): every call
made for it (the router's choice, the SQL writer, its repair round) takes what is left, and
``call_within`` stops waiting when it runs out, whatever the server does (a stalled server, or one
that trickles bytes). The reply is bounded too: the model is asked for at most
``max_reply_chars`` of text, and the HTTP body may not grow past what that text needs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_BODY_OVERHEAD_BYTES = 64_000  # JSON around the text: ids, tool-call names and arguments, usage
_CHARS_PER_TOKEN = 3  # max_tokens asked for: generous, so the text cap is what holds


class ModelTimeout(Exception):
    """The question's time budget on the model ran out before the model answered."""


class ReplyTooLong(Exception):
    """The model's reply was larger than the cap; none of it is used."""


class LlmBudget:
    """One question's time on the model: a deadline every model call for it shares."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self.deadline = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self.deadline - self._clock())

    @property
    def spent(self) -> bool:
        return self.remaining() <= 0.05

    def out_of_time_text(self) -> str:
        return (
            f"The language model did not answer within {self.seconds:g} s, so I stopped waiting. "
            "Please try again in a moment, or ask in other words."
        )


def too_long_text(max_reply_chars: int) -> str:
    return (
        f"The language model's reply was longer than {max_reply_chars:,} characters, so I did not use it. "
        "Please ask again, more narrowly."
    )


def chat_model(settings, *, timeout_s: float, max_reply_chars: int | None = None):
    """A deterministic ChatOpenAI client for settings' model and endpoint (langchain imported lazily).

    No retries (a retry would outlive the question's budget); the HTTP body is capped so that a
    server sending megabytes is cut off as the bytes arrive.
    """
    from langchain_openai import ChatOpenAI

    max_chars = max_reply_chars or settings.llm_max_reply_chars
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.openai_model,
        base_url=settings.openai_base_url,
        api_key=key,
        temperature=0,
        max_retries=0,
        timeout=max(0.1, timeout_s),
        max_tokens=max(16, max_chars // _CHARS_PER_TOKEN),
        http_client=_capped_http_client(max_chars * 4 + _BODY_OVERHEAD_BYTES, timeout_s),
    )


def call_within(budget: LlmBudget, call: Callable[[], T]) -> T:
    """``call()``'s result, or ModelTimeout once the budget is spent (the call is left to end on
    its own client timeout, which is never longer than what was left of the budget)."""
    if budget.spent:
        raise ModelTimeout(budget.out_of_time_text())
    outcome: dict = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as is
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="llm-call", daemon=True).start()
    if not done.wait(budget.remaining()):
        raise ModelTimeout(budget.out_of_time_text())
    if "error" in outcome:
        raise _unwrapped(outcome["error"])
    return outcome["value"]


def _unwrapped(exc: BaseException) -> BaseException:
    """The openai client wraps errors raised while reading the body; give ours back as they were."""
    cause = exc
    while cause is not None:
        if isinstance(cause, (ReplyTooLong, ModelTimeout)):
            return cause
        cause = cause.__cause__
    return exc


def _capped_http_client(max_bytes: int, timeout_s: float):
    import httpx

    class CappedStream(httpx.SyncByteStream):
        def __init__(self, stream) -> None:
            self._stream = stream
            self._deadline = time.monotonic() + timeout_s

        def __iter__(self):
            seen = 0
            for chunk in self._stream:
                seen += len(chunk)
                if seen > max_bytes:
                    raise ReplyTooLong(f"the model's reply passed {max_bytes:,} bytes")
                if time.monotonic() > self._deadline:
                    raise ModelTimeout("the model's reply was still arriving at the deadline")
                yield chunk

        def close(self) -> None:
            self._stream.close()

    class CappedTransport(httpx.HTTPTransport):
        def handle_request(self, request):
            response = super().handle_request(request)
            response.stream = CappedStream(response.stream)
            return response

    return httpx.Client(transport=CappedTransport(), timeout=max(0.1, timeout_s))
