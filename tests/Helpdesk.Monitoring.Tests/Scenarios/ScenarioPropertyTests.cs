namespace Helpdesk.Monitoring.Tests.Scenarios;

/// <summary>
/// Properties over every scenario: replaying a stream again changes nothing; injected duplicates (another contact's
/// copy) give the same incidents; shuffling what Nagios' parallel workers send in the same second gives the same
/// incidents (compared without ids or counts, which arrival order legitimately decides).
/// </summary>
public sealed class ScenarioPropertyTests
{
    private const int Runs = 25;

    public static TheoryData<string> Files() => ScenarioTests.Files();

    /// <summary>Scenarios whose outcome must not depend on same-second arrival order (storms and full groups do, by design).</summary>
    public static TheoryData<string> OrderFreeFiles() =>
        [.. Scenario.Files().Where(f => !Scenario.Load(f).OrderSensitive).Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Replaying_the_whole_stream_again_changes_nothing(string file)
    {
        var s = Scenario.Load(Path.Combine(Scenario.Directory, file));
        var deliveries = ScenarioRunner.Deliveries(s);
        var once = ScenarioRunner.Play(ScenarioRunner.PolicyOf(s), deliveries);
        var twice = ScenarioRunner.Play(ScenarioRunner.PolicyOf(s), deliveries, redeliverAll: true);
        Assert.Equal(ScenarioRunner.Describe(once), ScenarioRunner.Describe(twice));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Injected_duplicates_give_the_same_incidents(string file)
    {
        var s = Scenario.Load(Path.Combine(Scenario.Directory, file));
        var deliveries = ScenarioRunner.Deliveries(s);
        var expected = ScenarioRunner.Canonical(ScenarioRunner.Play(ScenarioRunner.PolicyOf(s), deliveries));
        for (var seed = 0; seed < Runs; seed++)
        {
            var random = new Random(seed);
            var noisy = new List<ScenarioRunner.Delivery>();
            foreach (var d in deliveries)
            {
                noisy.Add(d);
                if (d.Record is not null && random.Next(3) == 0)
                {
                    noisy.Add(d with { Record = d.Record with { EventId = Guid.CreateVersion7() } });
                }
            }

            Assert.Equal(expected, ScenarioRunner.Canonical(ScenarioRunner.Play(ScenarioRunner.PolicyOf(s), noisy)));
        }
    }

    [Theory]
    [MemberData(nameof(OrderFreeFiles))]
    public void Shuffling_within_a_second_gives_the_same_incidents(string file)
    {
        var s = Scenario.Load(Path.Combine(Scenario.Directory, file));
        var deliveries = ScenarioRunner.Deliveries(s);
        var expected = ScenarioRunner.Canonical(ScenarioRunner.Play(ScenarioRunner.PolicyOf(s), deliveries));
        for (var seed = 0; seed < Runs; seed++)
        {
            var random = new Random(seed);
            var shuffled = new List<ScenarioRunner.Delivery>();
            foreach (var run in SameSecondRuns(deliveries))
            {
                var copy = run.ToArray();
                random.Shuffle(copy);
                shuffled.AddRange(copy);
            }

            Assert.Equal(expected, ScenarioRunner.Canonical(ScenarioRunner.Play(ScenarioRunner.PolicyOf(s), shuffled)));
        }
    }

    /// <summary>Consecutive notifications with the same TIMET (what parallel workers may swap); advances stay put.</summary>
    private static IEnumerable<List<ScenarioRunner.Delivery>> SameSecondRuns(List<ScenarioRunner.Delivery> deliveries)
    {
        var run = new List<ScenarioRunner.Delivery>();
        foreach (var d in deliveries)
        {
            if (run.Count > 0 && (d.Record is null || run[^1].Record is null || d.Record.TimeT != run[^1].Record!.TimeT))
            {
                yield return run;
                run = [];
            }

            run.Add(d);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
