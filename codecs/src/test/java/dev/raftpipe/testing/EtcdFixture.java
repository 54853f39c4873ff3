package dev.raftpipe.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static {@code Path} field set, before the class's tests, to one bundled etcd fixture extracted for the class
 * (see {@link EtcdFixtures#extract}) and removed after them: {@code @EtcdFixture("single") static Path single;}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EtcdFixtureExtension.class)
public @interface EtcdFixture {
    /** The fixture's name: {@code etcd-3.4/<name>.tar.gz}. */
    String value();
}
