# Builds the same jar and runs the same entry point as README command 1 (`run`).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src src
COPY config config
COPY routes routes
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/lib lib
COPY --from=build /src/target/segment-audience-routes-*.jar segment-audience-routes.jar
COPY examples examples
USER 10001
ENTRYPOINT ["java", "-jar", "segment-audience-routes.jar"]
CMD ["run"]
