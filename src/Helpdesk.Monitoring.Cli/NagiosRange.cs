using System.Globalization;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// A monitoring-plugins threshold range: "10" (alert outside 0..10), "10:" (below 10), "~:10" (above 10),
/// "10:20" (outside 10..20), "@10:20" (inside 10..20).
/// </summary>
public sealed record NagiosRange(double Low, double High, bool Inside, string Text)
{
    public static bool TryParse(string text, out NagiosRange? range)
    {
        range = null;
        var body = text.Trim();
        var inside = body.StartsWith('@');
        if (inside)
        {
            body = body[1..];
        }

        if (body.Length == 0)
        {
            return false;
        }

        var colon = body.IndexOf(':', StringComparison.Ordinal);
        double low = 0, high;
        if (colon < 0)
        {
            if (!Number(body, out high))
            {
                return false;
            }
        }
        else
        {
            var left = body[..colon];
            var right = body[(colon + 1)..];
            if (left == "~")
            {
                low = double.NegativeInfinity;
            }
            else if (!Number(left, out low))
            {
                return false;
            }

            high = right.Length == 0 ? double.PositiveInfinity : Number(right, out var h) ? h : double.NaN;
            if (double.IsNaN(high) || low > high)
            {
                return false;
            }
        }

        range = new NagiosRange(low, high, inside, text);
        return true;
    }

    /// <summary>True when <paramref name="value"/> should raise the alert this range stands for.</summary>
    public bool Alerts(double value) => Inside ? value >= Low && value <= High : value < Low || value > High;

    private static bool Number(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
