package dev.weir.tasks.http;

import java.net.URI;
import java.util.Map;

/**
 * One HTTP request as the task means it, before credentials are added.
 *
 * @param what how messages name it, e.g. {@code page 3} or {@code the OAuth2 token request}
 * @param body null for none
 */
record Call(String what, String method, URI uri, Map<String, String> headers, byte[] body) {
  Call {
    headers = Map.copyOf(headers);
  }

  Call at(URI other) {
    return new Call(what, method, other, headers, body);
  }

  Call named(String name) {
    return new Call(name, method, uri, headers, body);
  }
}
