"""The runtime around the core: composition (app, wiring), the command line, the demo, `check`,
credentials, recovery, config feeds, alerts, health and metrics, logging and the web server base.

The core (bot/ outside this package) knows posts, subscriptions, commands and the Threads client;
this package starts, watches and stops them. Only the runtime imports the chat adapters.
"""
