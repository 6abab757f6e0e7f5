return await Helpdesk.Monitoring.Hosting.HelpdeskHost.RunAsync(args);
