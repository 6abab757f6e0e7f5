using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Policy;

/// <summary>Durations in timeline sentences read as people say them, never "0.1 minutes".</summary>
public sealed class DurationWordsTests
{
    [Theory]
    [InlineData(6, "6 seconds")]
    [InlineData(60, "1 minute")]
    [InlineData(1800, "30 minutes")]
    [InlineData(5400, "1 hour 30 minutes")]
    [InlineData(90061, "1 day 1 hour 1 minute 1 second")]
    [InlineData(0, "0 seconds")]
    public void Says_a_duration_in_words(int seconds, string words) => Assert.Equal(words, Duration.Words(TimeSpan.FromSeconds(seconds)));
}
