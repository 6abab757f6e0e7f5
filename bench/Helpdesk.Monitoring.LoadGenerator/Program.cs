using System.Diagnostics;
using System.Globalization;
using Helpdesk.Monitoring.LoadGenerator;

// Embedded-path load test (issue 2): 50 customers × 200 hosts × 5 services, primed as firing problems, then
// ~90% repeats posted in batches of 100 over 4 keep-alive connections. Only committed notifications count (the
// service answers 200 after the commit). Writes a markdown report with the machine it ran on.
if (args is ["soak", .. var soak])
{
    return await Helpdesk.Monitoring.LoadGenerator.Soak.SoakCommand.RunAsync(soak);
}

if (args is ["side-by-side", .. var rest])
{
    return await Helpdesk.Monitoring.LoadGenerator.SideBySide.SideBySideCommand.RunAsync(rest);
}

var options = LoadOptions.Parse(args);
var model = new TrafficModel(options.Customers, options.HostsPerCustomer);
await using var service = await ServiceUnderTest.StartAsync(options.Synchronous, new Dictionary<string, string>());
using var client = new LoadClient(service.BaseAddress, service.IngestKey, options.Connections);
Console.WriteLine($"service pid {service.Pid} on {service.BaseAddress}; {model.Identities} identities");

var prime = Stopwatch.StartNew();
var primed = await client.PrimeAsync(model, options.BatchSize);
prime.Stop();
var rssPrimed = service.ResidentBytes();
Console.WriteLine($"primed {primed} open problems in {prime.Elapsed.TotalSeconds:0.0} s; RSS {rssPrimed / 1048576.0:0} MiB");

var steady = await client.SteadyAsync(model, options.BatchSize, options.RepeatRatio, TimeSpan.FromSeconds(options.DurationSeconds));
var rssEnd = service.ResidentBytes();
var peak = service.PeakResidentBytes();
var serviceSide = await client.ServiceSideAsync();
var alertSum = await client.SumAlertCountsAsync();
var report = Report.Markdown(options, model, primed, prime.Elapsed, steady, rssPrimed, rssEnd, peak, alertSum, serviceSide);
Console.WriteLine(report);
if (options.Output is { } path)
{
    await File.WriteAllTextAsync(path, report);
    Console.WriteLine("written to " + path);
}

return alertSum == primed + steady.Committed ? 0 : 3;
