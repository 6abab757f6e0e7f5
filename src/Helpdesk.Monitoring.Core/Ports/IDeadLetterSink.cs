namespace Helpdesk.Monitoring.Ports;

/// <summary>Where refused input goes, with its reason, so nothing is lost.</summary>
public interface IDeadLetterSink
{
    /// <summary>Stores the letter durably before returning.</summary>
    ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken);
}
