using System.Text.RegularExpressions;

namespace Helpdesk.Monitoring.Hosting.Configuration;

/// <summary>
/// A setting whose value is not of its type (<c>--Helpdesk:Incidents:VerificationHold banana</c>), told as a sentence
/// with the other configuration errors: the binder throws with a stack trace and the runtime's type names.
/// </summary>
internal static partial class ConfigurationValue
{
    /// <summary>The sentence for the binder's conversion error, or null when <paramref name="ex"/> is another failure.</summary>
    public static string? Explain(InvalidOperationException ex)
    {
        var match = ConversionFailure().Match(ex.Message);
        if (!match.Success)
        {
            return null;
        }

        var type = match.Groups["type"].Value;
        var wanted = type switch
        {
            _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a time span such as 00:15:00 (hours:minutes:seconds) or 1.00:00:00 (one day)",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("Double", StringComparison.Ordinal) => "a number",
            _ => $"a value of the kind {match.Groups["path"].Value} takes ({type})",
        };
        return $"{match.Groups["path"].Value}: '{match.Groups["value"].Value}' is not {wanted}";
    }

    // Microsoft.Extensions.Configuration.Binder's message: "Failed to convert configuration value 'V' at 'PATH' to type 'T'."
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'\.$", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}
