return CrnnGan.Cli.CliApp.Run(args);
