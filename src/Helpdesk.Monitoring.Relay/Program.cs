using System.CommandLine;
using Helpdesk.Monitoring.Relay;

return await RelayCommand.Create().Parse(args).InvokeAsync();
