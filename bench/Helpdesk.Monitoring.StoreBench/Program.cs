using Helpdesk.Monitoring.StoreBench;

// dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- size  [--incidents N] [--out FILE]
// dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- aging [--archived N] [--live N] [--runs N] [--work DIR] [--out FILE]
// dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- paging [--open N] [--runs N] [--work DIR] [--out FILE]
// dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- memory [--customers N] [--hosts N] [--services N] [--out FILE]
// dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- commit [--customers N] [--hosts N] [--services N] [--batch N] [--batches N] [--runs N] [--mixes storm,changes,repeats] [--keep DIR] [--out FILE]
var command = args.FirstOrDefault();
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var work = Option("--work", Path.Combine(Path.GetTempPath(), "helpdesk-storebench"));
Directory.CreateDirectory(work);
string report;
switch (command)
{
    case "size":
        report = await SizeModel.RunAsync(int.Parse(Option("--incidents", "20000")), work);
        break;
    case "aging":
        report = await Aging.RunAsync(long.Parse(Option("--archived", "10000000")), int.Parse(Option("--live", "20000")), int.Parse(Option("--runs", "5")), work);
        break;
    case "paging":
        report = await Paging.RunAsync(int.Parse(Option("--open", "50000")), int.Parse(Option("--runs", "5")), work);
        break;
    case "memory":
        report = await Memory.RunAsync(int.Parse(Option("--customers", "50")), int.Parse(Option("--hosts", "200")), int.Parse(Option("--services", "5")), work);
        break;
    case "commit":
        report = await CommitCost.RunAsync(int.Parse(Option("--customers", "50")), int.Parse(Option("--hosts", "200")), int.Parse(Option("--services", "5")),
            int.Parse(Option("--batch", "200")), int.Parse(Option("--batches", "1000")), int.Parse(Option("--runs", "3")), Option("--mixes", "storm,changes"), work,
            Option("--keep", "") is { Length: > 0 } keep ? keep : null);
        break;
    default:
        Console.Error.WriteLine("usage: size [--incidents N] [--out FILE] | aging [--archived N] [--live N] [--runs N] [--work DIR] [--out FILE] | paging [--open N] [--runs N] [--work DIR] [--out FILE] | memory [--customers N] [--hosts N] [--services N] [--out FILE] | commit [--customers N] [--hosts N] [--services N] [--batch N] [--batches N] [--runs N] [--mixes storm,changes,repeats] [--keep DIR] [--out FILE]");
        return 2;
}

Console.WriteLine(report);
if (Option("--out", "") is { Length: > 0 } output)
{
    await File.WriteAllTextAsync(output, report);
}

return 0;
