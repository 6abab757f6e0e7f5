namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Where the built helpdesk programs are: the same configuration as these tests, next to their projects.</summary>
public static class Programs
{
    public static string Root { get; } = FindRoot();

    private static string Configuration => AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Service => Built("Helpdesk.Monitoring.Service", "helpdesk-service.dll");

    public static string Cli => Built("Helpdesk.Monitoring.Cli", "helpdesk.dll");

    /// <summary>
    /// The `helpdesk` command as installed on a Nagios server: native code, published by <c>./build.sh test</c> (and
    /// <c>./build.sh install</c>) into artifacts/cli.
    /// </summary>
    public static string NativeCli
    {
        get
        {
            var path = System.IO.Path.Combine(Root, "artifacts", "cli", "helpdesk");
            return File.Exists(path) ? path : throw new FileNotFoundException("the native helpdesk command is not published; run ./build.sh test (it publishes artifacts/cli/helpdesk)", path);
        }
    }

    public static string Relay => Built("Helpdesk.Monitoring.Relay", "helpdesk-relay.dll");

    private static string Built(string project, string dll)
    {
        var path = System.IO.Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built; build the solution first", path);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Helpdesk.Monitoring.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Helpdesk.Monitoring.sln not found above " + AppContext.BaseDirectory);
    }
}
