"""`python -m bot.cli`: the same as the `crmbot` command (how `crmbot serve --worker` starts its worker)."""

from bot.cli import main

main()
