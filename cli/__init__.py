"""The `bilan` command: argument parsing, one handler per subcommand, packaged resources."""
