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

        // Incidents, customers' contacts and who acted cross the network to the store: only encrypted connections to a
        // server whose certificate is verified (Encrypt=True or Strict; a trusted-anyway certificate is no check).
        return builder.Encrypt && !builder.TrustServerCertificate
            ? null
            : "Helpdesk:Store:SqlServer:ConnectionString must set Encrypt=True (or Strict) and TrustServerCertificate=False: incidents and customers' contacts go to the store only encrypted, to a server whose certificate is verified";
    }
}
