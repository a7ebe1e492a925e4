"""OpenAPI description of the one error shape every API route answers with.

The shape itself is produced by habitat.api.errors.exception_handler.
"""

from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField())


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
