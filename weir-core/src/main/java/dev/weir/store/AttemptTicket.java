package dev.weir.store;

/**
 * A task attempt handed to workers: which attempt, the pool that routes it, and what the worker
 * needs to run it besides the stored run ({@code ticket}, JSON the engine writes and reads; it
 * never holds a secret's value: the worker renders the task's templates itself).
 *
 * @param pool the task's pool, which routes it to the workers serving that pool; null for any
 */
public record AttemptTicket(String runId, String taskId, int attempt, String pool, String ticket) {}
