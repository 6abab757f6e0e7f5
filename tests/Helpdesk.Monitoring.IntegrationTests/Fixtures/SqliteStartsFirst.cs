using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// SQLite takes its process-wide settings only before it starts. In the service the store is its first user; here a
/// test that opens a plain connection could come first, so the settings are made when this assembly loads.
/// </summary>
internal static class SqliteStartsFirst
{
    [ModuleInitializer]
    internal static void Prepare() => SqliteEngine.Prepare();
}
