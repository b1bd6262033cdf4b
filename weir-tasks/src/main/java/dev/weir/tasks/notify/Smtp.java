package dev.weir.tasks.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;

/**
 * An SMTP server to send e-mail through. {@link #toString()} never shows the password.
 *
 * @param port 25, 587 (with starttls) or another; 25 when null
 * @param username null when the server takes mail without logging in
 */
public record Smtp(
    String host, Integer port, String from, String username, String password, Boolean starttls) {
  private static final String TIMEOUT_MS = "15000";

  public Smtp {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "smtp needs a host, e.g. `smtp: {host: mail.example.com, port: 587, from:"
              + " weir@example.com}`");
    }
    if (from == null || !from.contains("@")) {
      throw new IllegalArgumentException(
          "smtp needs a sender address, e.g. `from: weir@example.com`, got " + from);
    }
  }

  /**
   * @throws Delivery.DeliveryException naming what failed, without the password
   */
  public void send(List<String> to, String subject, String body) throws Delivery.DeliveryException {
    var props = new Properties();
    props.put("mail.smtp.host", host);
    props.put("mail.smtp.port", String.valueOf(port == null ? 25 : port));
    props.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
    props.put("mail.smtp.timeout", TIMEOUT_MS);
    props.put("mail.smtp.writetimeout", TIMEOUT_MS);
    props.put("mail.smtp.auth", String.valueOf(username != null));
    props.put("mail.smtp.starttls.enable", String.valueOf(Boolean.TRUE.equals(starttls)));
    props.put("mail.smtp.starttls.required", String.valueOf(Boolean.TRUE.equals(starttls)));
    Session session = Session.getInstance(props);
    try {
      var msg = new MimeMessage(session);
      msg.setFrom(new InternetAddress(from));
      for (String t : to) {
        msg.addRecipient(Message.RecipientType.TO, new InternetAddress(t.strip()));
      }
      msg.setSubject(subject, "UTF-8");
      msg.setText(body, "UTF-8");
      if (username != null) {
        Transport.send(msg, username, password);
      } else {
        Transport.send(msg);
      }
    } catch (MessagingException e) {
      throw new Delivery.DeliveryException(
          "sending mail through "
              + host
              + " failed: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          true,
          null);
    }
  }

  @Override
  public String toString() {
    return "Smtp[host="
        + host
        + ", port="
        + port
        + ", from="
        + from
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "******")
        + ", starttls="
        + starttls
        + "]";
  }
}
