from monitor.cli.main import entry

entry()
