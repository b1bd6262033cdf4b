package dev.weir.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Circuit breakers shared by the nodes of a cluster ({@code weir_breakers}): one circuit per
 * connection name, counted by every node, its open window on the database's clock.
 */
public interface BreakerStore {
  /** The circuit of a connection, if any node counted a failure of it; none is a closed one. */
  Optional<BreakerRecord> find(String connection);

  /** The circuit of every connection any node counted a failure of, by name. */
  List<BreakerRecord> all();

  /**
   * Counts a connection failure of a task attempt on any node. It opens the circuit for {@code
   * openFor} from now on the database's clock when the circuit was closed and the count reaches
   * {@code threshold}, or when {@code trialToken} holds the trial of the half-open circuit (the
   * trial failed to connect again). Open, or half-open with another trial out, it only counts.
   *
   * @param trialToken the token of the trial the attempt took ({@link #takeTrial}), or null
   * @return whether this failure opened the circuit
   */
  boolean recordFailure(String connection, int threshold, Duration openFor, String trialToken);

  /**
   * A task attempt using the connection succeeded: the count goes back to 0 and the circuit closes.
   *
   * @return whether it was open or half-open before
   */
  boolean recordSuccess(String connection);

  /**
   * Takes the trial of a half-open circuit for an attempt of {@code who}, when no attempt of a live
   * node holds it (one of a node whose lease expired, or that started again, does not). Asking
   * again with the token that holds it answers true, so an answer lost on the way can be asked for
   * again.
   *
   * @param token the attempt's own token, which {@link #recordFailure} and {@link #releaseTrial}
   *     name the trial by
   * @return whether the attempt holds the trial now; false when the circuit is not half-open
   */
  boolean takeTrial(String connection, Claimant who, String token);

  /** Frees the trial {@code token} holds, if it still does: the next attempt may take it. */
  void releaseTrial(String connection, String token);
}
