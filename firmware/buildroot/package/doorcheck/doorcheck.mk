################################################################################
#
# doorcheck
#
################################################################################

# Built from the tree this BR2_EXTERNAL lives in (two levels up).
DOORCHECK_VERSION = local
DOORCHECK_SITE = $(BR2_EXTERNAL_DOORCHECK_PATH)/../..
DOORCHECK_SITE_METHOD = local
DOORCHECK_LICENSE = see LICENSE
DOORCHECK_LICENSE_FILES = LICENSE
DOORCHECK_DEPENDENCIES = host-pkgconf mbedtls cjson zlib libcbor zbar libpng jpeg sdl2 sdl2_ttf
DOORCHECK_CONF_OPTS = -Dfuzz=false -Dui=enabled -Dshared_dir=/nonexistent

ifeq ($(BR2_PACKAGE_LIBCAMERA),y)
DOORCHECK_DEPENDENCIES += libcamera
DOORCHECK_CONF_OPTS += -Dlibcamera=enabled
else
DOORCHECK_CONF_OPTS += -Dlibcamera=disabled
endif

# The unit is the project's own (firmware/systemd/, the Debian package's).
define DOORCHECK_INSTALL_INIT_SYSTEMD
	$(INSTALL) -D -m 0644 $(@D)/firmware/systemd/doorcheck.service \
		$(TARGET_DIR)/usr/lib/systemd/system/doorcheck.service
endef

$(eval $(meson-package))
