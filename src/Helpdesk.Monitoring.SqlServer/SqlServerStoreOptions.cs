using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>Helpdesk:Store:SqlServer.</summary>
public sealed class SqlServerStoreOptions
{
    /// <summary>A SqlClient connection string; give it through the environment (it holds a password), never a committed file.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Names what is wrong with the connection string, or null. Never repeats the string (it holds secrets).</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return "Helpdesk:Store:SqlServer:ConnectionString is required for the sqlserver store";
        }

        SqlConnectionStringBuilder builder;
        try
        {
            builder = new SqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return $"Helpdesk:Store:SqlServer:ConnectionString is not a valid connection string ({ex.Message})";
        }

        // SqlClient 2.1.4 has CVE-2024-0056 (a downgrade of the TLS check): only encrypted, verified connections.
        return builder.Encrypt && !builder.TrustServerCertificate
            ? null
            : "Helpdesk:Store:SqlServer:ConnectionString must set Encrypt=True and TrustServerCertificate=False (SqlClient 2.1.4, CVE-2024-0056)";
    }
}
