package org.ptlab.cli;

import java.nio.file.Path;
import org.ptlab.io.RunFolder;

/** A second process for {@link RunFolderTest}: locks the folder in args[0], says so, and waits to be killed. */
final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    RunFolder held = RunFolder.lock(Path.of(args[0]));
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(120_000); // killed by the test long before; the lock must go with the process
    held.close();
  }
}
